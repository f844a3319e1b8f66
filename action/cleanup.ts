// Removes the private directories main created for export files.
import { existsSync, rmSync } from "node:fs";
import { info, warning } from "./runner-protocol/workflow-commands.ts";

export function deleteExportFiles(savedPaths: string): void {
  if (!savedPaths) return;
  let paths: unknown;
  try {
    paths = JSON.parse(savedPaths);
  } catch {
    warning("The list of export files saved by main is unreadable; nothing was deleted");
    return;
  }
  for (const path of Array.isArray(paths) ? paths : []) {
    if (typeof path !== "string" || !/keybridge-[^/\\]+$/.test(path)) continue;
    if (!existsSync(path)) {
      info(`Export file directory ${path} is already gone`);
      continue;
    }
    rmSync(path, { recursive: true, force: true });
    info(`Deleted the export file directory ${path}`);
  }
}

/** Removes the files main wrote into the workspace (Infisical's export-type file). */
export function deleteWorkspaceFiles(savedPaths: string): void {
  if (!savedPaths) return;
  let paths: unknown;
  try {
    paths = JSON.parse(savedPaths);
  } catch {
    warning("The list of workspace files saved by main is unreadable; nothing was deleted");
    return;
  }
  const workspace = process.env.GITHUB_WORKSPACE;
  for (const path of Array.isArray(paths) ? paths : []) {
    // Only what main wrote inside this job's workspace.
    if (typeof path !== "string" || !workspace || !path.startsWith(`${workspace}/`) || path.split("/").includes("..")) continue;
    if (!existsSync(path)) continue;
    rmSync(path, { force: true });
    info(`Deleted the exported file ${path}`);
  }
}
