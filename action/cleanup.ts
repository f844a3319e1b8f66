// Removes what main wrote: the private directories of export files, and Infisical's workspace file.
import { existsSync, rmSync } from "node:fs";
import { info, warning } from "./runner-protocol/workflow-commands.ts";

/** The JSON list of paths main saved; a warning and none when it is unreadable. */
function savedList(saved: string, what: string): unknown[] {
  if (!saved) return [];
  try {
    const paths: unknown = JSON.parse(saved);
    return Array.isArray(paths) ? paths : [];
  } catch {
    warning(`The list of ${what} saved by main is unreadable; nothing was deleted`);
    return [];
  }
}

export function deleteExportFiles(savedPaths: string): void {
  for (const path of savedList(savedPaths, "export files")) {
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
  const workspace = process.env.GITHUB_WORKSPACE;
  for (const path of savedList(savedPaths, "workspace files")) {
    // Only what main wrote inside this job's workspace.
    if (typeof path !== "string" || !workspace || !path.startsWith(`${workspace}/`) || path.split("/").includes("..")) continue;
    if (!existsSync(path)) continue;
    rmSync(path, { force: true });
    info(`Deleted the exported file ${path}`);
  }
}
