import type { BuildOptions } from "esbuild";

export function actionBuildOptions(outdir: string): BuildOptions;
