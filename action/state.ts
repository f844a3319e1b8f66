// What main hands to post through the runner's state file. The token is kept there (never in
// logs) because post must revoke it even when main failed after login.

export const stateKeys = {
  backend: "backend",
  url: "url",
  namespace: "namespace",
  token: "token",
  /** JSON list of directories main created, removed by post. */
  cleanupPaths: "cleanup-paths",
  /** JSON list of files main wrote into the workspace (Infisical's file-output-path), removed by post. */
  workspaceFiles: "workspace-files",
  /** JSON of what post needs to reach the backend again: CA, mutual TLS, extra headers. */
  connection: "connection",
} as const;
