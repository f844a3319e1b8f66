import type { BuildOptions } from "esbuild";

export const nodeBundleOptions: BuildOptions;
export function actionBuilds(outdir: string): BuildOptions[];
export function copyBundleAssets(outdir: string): void;
export function writeBundleScope(outdir: string): void;
