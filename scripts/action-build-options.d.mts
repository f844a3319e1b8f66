import type { BuildOptions } from "esbuild";

export const nodeBundleOptions: BuildOptions;
export const modeSteps: Readonly<Record<string, string>>;
export function actionBuilds(outdir: string): BuildOptions[];
export function copyBundleAssets(outdir: string): void;
