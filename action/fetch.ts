// Fetch mode: OIDC token → login → read every path in parallel → mask → export all or nothing.
// Loaded only once the inputs are valid, so a misconfigured step fails before HTTP code loads.
import { HttpClient } from "../client/http/http-client.ts";
import { createBackend } from "../client/backends/create-backend.ts";
import type { SecretsBackend, Session } from "../client/backends/backend.ts";
import { oidcRequestFromEnv } from "../client/oidc.ts";
import type { LoginContext } from "../client/auth/auth-method.ts";
import { login as loginWithGitHubOidc } from "../client/auth/github-oidc.ts";
import { login as loginWithGivenToken } from "../client/auth/given-token.ts";
import { addMask, info, warning } from "./runner-protocol/workflow-commands.ts";
import { appendSummary, saveState } from "./runner-protocol/file-commands.ts";
import { masksFor } from "./masking.ts";
import { selectSecrets } from "../client/select-secrets.ts";
import { exportSecrets } from "./export-secrets.ts";
import { formatDuration, renderSummary } from "./summary.ts";
import { readSecrets } from "../client/read-secrets.ts";
import { checkRotation } from "./rotation-check.ts";
import { stateKeys } from "./state.ts";
import type { FetchInputs } from "./inputs.ts";

/** The job's OIDC token (method jwt), or the token input (method token); each is masked before use. */
function logIn(backend: SecretsBackend, http: HttpClient, inputs: FetchInputs): Promise<Session> {
  const context: LoginContext = { http, env: process.env, onCredential: addMask, log: info };
  if (inputs.method === "jwt") return loginWithGitHubOidc(backend, { audience: inputs.audience }, context);
  return loginWithGivenToken(backend, { token: inputs.token! }, context);
}

export async function fetchSecrets(inputs: FetchInputs): Promise<void> {
  // Checked before anything is sent: a job without id-token: write fails here, with the fix.
  if (inputs.method === "jwt") oidcRequestFromEnv();
  const http = new HttpClient({ timeoutMs: inputs.timeoutMs, retries: inputs.retries, caCertificate: inputs.caCertificate, log: info });
  try {
    const backend = createBackend(http, inputs);
    const name = backend.name;
    const session = await logIn(backend, http, inputs);
    addMask(session.token);
    const willRevoke = session.owned && inputs.revoke;
    if (willRevoke) {
      saveState(stateKeys.backend, inputs.backend);
      saveState(stateKeys.url, inputs.url.href);
      if (inputs.namespace) saveState(stateKeys.namespace, inputs.namespace);
      saveState(stateKeys.token, session.token);
    }
    const expiresAt = new Date(Date.now() + session.ttlSeconds * 1000);
    const who = inputs.role ? ` with role ${inputs.role}` : inputs.infisical?.identityId ? ` as identity ${inputs.infisical.identityId}` : "";
    const policies = session.policies.length > 0 ? `, policies ${session.policies.join(", ")}` : "";
    info(`Logged in to ${name} at ${inputs.url.origin}${who}: token valid for ${formatDuration(session.ttlSeconds)}${policies}`);

    const { reads, skipped } = await readSecrets(backend, session, inputs.secrets, { ignoreNotFound: inputs.ignoreNotFound, warn: warning, consequence: "Nothing was exported" });
    info(`Read ${reads.size} of ${reads.size + skipped.length} path${reads.size + skipped.length === 1 ? "" : "s"}`);
    checkRotation(reads.values(), inputs.rotationCheck, new Date(), warning);
    const secrets = selectSecrets(inputs.secrets, reads, {
      allowNames: inputs.allowNames, allowNamesHow: "the allow-names input", consequence: "nothing was exported", warn: warning,
    });
    for (const secret of secrets) for (const mask of masksFor(secret.value, inputs.maskEncodings)) addMask(mask);

    const targets = [inputs.exportEnv && "env", inputs.exportOutputs && "outputs", inputs.exportFile && `${inputs.exportFile.format} file`]
      .filter((target): target is string => typeof target === "string");
    const facts: [string, string][] = [["exported", JSON.stringify(secrets.map((secret) => secret.envName))]];
    if (session.ttlSeconds > 0) facts.push(["token-expires-at", expiresAt.toISOString()]);
    const file = exportSecrets(secrets, { env: inputs.exportEnv, outputs: inputs.exportOutputs, file: inputs.exportFile }, facts);
    info(`Exported ${secrets.length} secret${secrets.length === 1 ? "" : "s"} to ${targets.join(", ")}: ${secrets.map((secret) => secret.envName).join(", ")}`);
    if (file) info(`Export file: ${file} (mode 0600, deleted by the post step)`);

    const leases = new Map([...reads].flatMap(([path, read]) => (read.lease ? [[path, read.lease] as const] : [])));
    appendSummary(renderSummary({ backend: name, url: inputs.url.origin, role: inputs.role, ttlSeconds: session.ttlSeconds, willRevoke, secrets, targets, leases, skippedPaths: skipped }));
  } finally {
    await http.close();
  }
}
