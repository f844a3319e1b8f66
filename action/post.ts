// The Action's post step, run by the runner after the job (also when main failed or the job was
// cancelled): delete what main wrote, then revoke the token. It never fails the job.
import { describeError } from "../policy/errors/keybridge-error.ts";
import { getInput, getState } from "./runner-protocol/file-commands.ts";
import { info, printToFileDescriptor, warning } from "./runner-protocol/workflow-commands.ts";
import { stateKeys } from "./state.ts";
import { deleteExportFiles, deleteWorkspaceFiles } from "./cleanup.ts";

async function revokeToken(): Promise<void> {
  const token = getState(stateKeys.token);
  if (!token) {
    info("No token to revoke: main did not log in, or revoke is false, or the token was given as an input");
    return;
  }
  const { revokeSavedToken } = await import("./revoke.ts");
  const outcome = await revokeSavedToken(token, {
    backend: getState(stateKeys.backend),
    url: getState(stateKeys.url),
    namespace: getState(stateKeys.namespace) || undefined,
    caCertificate: getInput("ca-certificate") || getInput("caCertificate") || undefined,
    connection: getState(stateKeys.connection),
  });
  info(outcome === "revoked" ? "Revoked the token: it can no longer read anything" : "The token had already expired or been revoked");
}

async function post(): Promise<void> {
  printToFileDescriptor();
  deleteExportFiles(getState(stateKeys.cleanupPaths));
  deleteWorkspaceFiles(getState(stateKeys.workspaceFiles));
  await revokeToken();
}

post().catch((failure: unknown) => {
  warning(`Cleanup incomplete: ${describeError(failure)}`);
});
