// Fetch mode: OIDC token → login → read every path in parallel (or issue vault-action's pki
// certificates) → mask → export all or nothing.
// Loaded only once the inputs are valid, so a misconfigured step fails before HTTP code loads.
import { HttpClient } from "../client/http/http-client.ts";
import { createBackend } from "../client/backends/create-backend.ts";
import type { BackendTls } from "../client/http/agents.ts";
import { oidcRequestFromEnv } from "../client/oidc.ts";
import { logIn } from "../client/auth/methods.ts";
import { pemFromInput } from "./tls-and-headers.ts";
import { addMask, addMasks, info, warning } from "./runner-protocol/workflow-commands.ts";
import { appendFileCommands, appendSummary, exportVariable } from "./runner-protocol/file-commands.ts";
import { masksFor } from "./masking.ts";
import { selectSecrets, type SelectedSecret } from "../client/select-secrets.ts";
import { exportSecrets } from "./export-secrets.ts";
import { formatDuration, renderSummary } from "./summary.ts";
import { readConnections, readSecrets } from "../client/read-secrets.ts";
import type { Lease, SecretsBackend, Session } from "../client/backends/backend.ts";
import { issueCertificates } from "./issue-certificates.ts";
import { checkRotation } from "./rotation-check.ts";
import { stateKeys } from "./state.ts";
import type { FetchInputs } from "./inputs.ts";

/** vault-action's secretEncodingType: each value decoded before it is masked and exported. */
function decoded(secrets: readonly SelectedSecret[], encoding: FetchInputs["secretEncoding"]): SelectedSecret[] {
  if (!encoding) return [...secrets];
  return secrets.map((secret) => ({ ...secret, value: Buffer.from(secret.value, encoding).toString("utf8") }));
}

/** What post needs to revoke the token: the backend, its address and, if any, how to reach it. */
function revokeState(inputs: FetchInputs, token: string): [string, string][] {
  const { caCertificate, tls, extraHeaders } = inputs;
  const needsConnection = caCertificate !== undefined || tls.skipVerify || tls.clientCertificate !== undefined || Object.keys(extraHeaders).length > 0;
  return [
    [stateKeys.backend, inputs.backend],
    [stateKeys.url, inputs.url.href],
    ...(inputs.namespace ? [[stateKeys.namespace, inputs.namespace] as [string, string]] : []),
    ...(needsConnection ? [[stateKeys.connection, JSON.stringify({ caCertificate, tls, extraHeaders })] as [string, string]] : []),
    [stateKeys.token, token],
  ];
}

function backendTls(inputs: FetchInputs): BackendTls | undefined {
  const { tls } = inputs;
  if (!tls.skipVerify && !tls.clientCertificate) return undefined;
  if (tls.skipVerify) warning(`tlsSkipVerify is true: the certificate of ${inputs.url.host} is not checked, so anyone on the network path can read the secrets; give its CA with caCertificate instead`);
  return {
    origin: inputs.url.origin,
    cert: tls.clientCertificate && pemFromInput("clientCertificate", tls.clientCertificate),
    key: tls.clientKey && pemFromInput("clientKey", tls.clientKey),
    rejectUnauthorized: !tls.skipVerify,
  };
}

/**
 * The outputs beside the secrets: Keybridge's own facts for its own steps; for a step written for
 * a peer action only what that action sets (toJSON(steps.x.outputs) stays the same), and
 * vault-action's vault_token when outputToken asks for it.
 */
function stepOutputs(inputs: FetchInputs, secrets: readonly SelectedSecret[], token: string, ttlSeconds: number): [string, string][] {
  const outputs: [string, string][] = [];
  if (inputs.vocabulary === "keybridge") {
    outputs.push(["exported", JSON.stringify(secrets.map((secret) => secret.envName))]);
    if (ttlSeconds > 0) outputs.push(["token-expires-at", new Date(Date.now() + ttlSeconds * 1000).toISOString()]);
  }
  if (inputs.outputToken) outputs.push(["vault_token", token]);
  return outputs;
}

/** What the step exports, and for the summary the leases of dynamic secrets and the paths skipped. */
interface Gathered {
  readonly secrets: SelectedSecret[];
  readonly leases: ReadonlyMap<string, Lease>;
  readonly skipped: readonly string[];
}

async function readRequested(backend: SecretsBackend, session: Session, inputs: FetchInputs): Promise<Gathered> {
  const { reads, skipped } = await readSecrets(backend, session, inputs.secrets, { ignoreNotFound: inputs.ignoreNotFound, warn: warning, consequence: "Nothing was exported" });
  info(`Read ${reads.size} of ${reads.size + skipped.length} path${reads.size + skipped.length === 1 ? "" : "s"}`);
  checkRotation(reads.values(), inputs.rotationCheck, new Date(), warning);
  const secrets = selectSecrets(inputs.secrets, reads, {
    allowNames: inputs.allowNames, allowNamesHow: "the allow-names input", consequence: "nothing was exported", warn: warning,
  }, { replace: inputs.vocabulary === "vault-action", warn: warning });
  const leases = new Map([...reads].flatMap(([path, read]) => (read.lease ? [[path, read.lease] as const] : [])));
  return { secrets, leases, skipped };
}

/** vault-action's pki input issues certificates instead of reading secrets. */
async function gather(backend: SecretsBackend, session: Session, inputs: FetchInputs): Promise<Gathered> {
  if (inputs.pki.length === 0) return readRequested(backend, session, inputs);
  return { secrets: await issueCertificates(backend, session, inputs.pki, info), leases: new Map(), skipped: [] };
}

export async function fetchSecrets(inputs: FetchInputs): Promise<void> {
  // Checked before anything is sent: a job without id-token: write fails here, with the fix.
  if (inputs.auth.method === "github-oidc") oidcRequestFromEnv();
  for (const note of inputs.notes) info(note);
  const http = new HttpClient({ timeoutMs: inputs.timeoutMs, retries: inputs.retries, caCertificate: inputs.caCertificate, backendTls: backendTls(inputs), log: info });
  try {
    const backend = createBackend(http, inputs);
    const loggingIn = logIn(backend, inputs.auth, { http, env: process.env, onCredential: addMask, log: info });
    // The connections the reads will use open while the login's first request is under way: it
    // went out above, so it does not wait behind their handshakes.
    try {
      http.preconnect(inputs.url, readConnections(backend, inputs.secrets));
    } catch {
      // Nothing to report here: the requests that would have used them connect on their own and
      // say what failed. Thrown on, it would leave the login's promise unhandled.
    }
    const name = backend.name;
    const session = await loggingIn;
    addMask(session.token);
    const willRevoke = session.owned && inputs.revoke;
    if (willRevoke) appendFileCommands("GITHUB_STATE", revokeState(inputs, session.token));
    const who = inputs.role ? ` with role ${inputs.role}` : inputs.infisical?.identityId ? ` as identity ${inputs.infisical.identityId}` : "";
    const policies = session.policies.length > 0 ? `, policies ${session.policies.join(", ")}` : "";
    info(`Logged in to ${name} at ${inputs.url.origin}${who}: token valid for ${formatDuration(session.ttlSeconds)}${policies}`);

    const gathered = await gather(backend, session, inputs);
    const secrets = decoded(gathered.secrets, inputs.secretEncoding);
    addMasks(secrets.flatMap((secret) => masksFor(secret.value, inputs.maskEncodings)));

    const targets = [inputs.exportEnv && "env", inputs.exportOutputs && "outputs", inputs.exportFile && `${inputs.exportFile.format} file`, inputs.workspaceFile && "workspace file"]
      .filter((target): target is string => typeof target === "string");
    const facts = stepOutputs(inputs, secrets, session.token, session.ttlSeconds);
    const file = exportSecrets(secrets, { env: inputs.exportEnv, outputs: inputs.exportOutputs, file: inputs.exportFile, workspaceFile: inputs.workspaceFile }, facts);
    if (inputs.exportToken) exportVariable("VAULT_TOKEN", session.token);
    info(`Exported ${secrets.length} secret${secrets.length === 1 ? "" : "s"} to ${targets.join(", ")}: ${secrets.map((secret) => secret.envName).join(", ")}`);
    if (file) info(`Export file: ${file} (mode 0600, deleted by the post step)`);

    appendSummary(renderSummary({ backend: name, url: inputs.url.origin, role: inputs.role, ttlSeconds: session.ttlSeconds, willRevoke, secrets, targets, leases: gathered.leases, skippedPaths: gathered.skipped }));
  } finally {
    await http.close();
  }
}
