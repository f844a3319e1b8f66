import type { BuildOptions } from "esbuild";

export const nodeBundleOptions: BuildOptions;
export function actionBuildOptions(outdir: string): BuildOptions;
export function copyBundleAssets(outdir: string): void;
