import type { BuildOptions, BuildResult } from "esbuild";

export const nodeBundleOptions: BuildOptions;
export function actionBuilds(outdir: string): BuildOptions[];
export function buildAction(outdir: string, extra?: BuildOptions): Promise<BuildResult[]>;
