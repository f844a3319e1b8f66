// `keybridge incident`: the leaked-credential drill. Flags and the backend's address and token
// are read here; the drill itself is drill.ts, its report report.ts.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { HttpClient } from "../../client/http/http-client.ts";
import { findVaultToken } from "../../client/auth/vault-token.ts";
import { loadAccessGraph } from "../access/load-graph.ts";
import { parseBackendAddress } from "../backend-address.ts";
import { UsageError } from "../usage-error.ts";
import { infisicalLogin } from "../infisical-login.ts";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import { runDrill, type DrillOptions } from "./drill.ts";
import { reportJson, reportMarkdown, reportSummary } from "./report.ts";
import { VaultAdmin } from "./vault-admin.ts";
import { revokeInfisicalToken } from "../../client/backends/revocation.ts";
import { InfisicalAdmin } from "./infisical-admin.ts";
import { parseInfisicalSecret } from "./infisical-audit.ts";
import { runInfisicalDrill } from "./infisical-drill.ts";
import { infisicalReportJson, infisicalReportMarkdown, infisicalReportSummary } from "./infisical-report.ts";
import { readPolicyFile } from "../../client/policy-files.ts";
import { isTerraformSource } from "../../client/source-kind.ts";
import { generatedSecretAt } from "../../client/rotation/generated-secrets.ts";
import { rotationStore, type StoreConnection } from "../../client/rotation/rotate-document.ts";

export const incidentHelp = `Usage: keybridge incident --path PATH --audit-log FILE [flags]          (Vault, OpenBao)
       keybridge incident --backend infisical --path PROJECT/ENV/FOLDER/KEY [flags]

The leaked-credential drill. On Vault it reads the file audit log for every read of PATH, names
who read it (the token's display name, role and login claims, policies, address, time), matches the
log's HMAC-ed accessors to the tokens that still live (through sys/audit-hash), revokes those
tokens (and the leases of a database credential), and lists the roles that could still read it.
Writes incident.md and incident.json; never a secret value or a token.

  --path PATH          the secret, as an API path (secret/data/ml/prod/db) or without data/
  --audit-log FILE     the file audit device's log (JSON lines), read a line at a time
  --since TIME         only reads at or after TIME: RFC 3339 (2026-12-06T14:00:00Z) or an age (30m, 6h, 2d)
  --dry-run            change nothing; the report says what the drill would revoke
  --report DIR         where the report goes (default ./keybridge-incident-<time>)
  --from PATH          the applied configuration (policy document or Terraform) for "who could
                       still read it"; --var NAME=VALUE and --var-file FILE as for keybridge access
                       (a policy document: a generated secret at PATH also gets a new value now)
  --audit-device NAME  the device that wrote the log, when Vault has several (default: the one
                       whose file is FILE, or the only one)
  --url URL            Vault's address (default VAULT_ADDR, BAO_ADDR); --namespace NS (VAULT_NAMESPACE)
  --backend B          vault (default), openbao or infisical
  --timeout SECONDS    the budget for all of the drill's requests (default 120)

The token is VAULT_TOKEN (or BAO_TOKEN, or ~/.vault-token): root, or sudo on auth/token/accessors.

On Infisical the drill lists the organization's audit logs (GET /api/v1/organization/audit-logs)
for get-secret reads of KEY and get-secrets listings of its folder, names each identity that read
it (name, id, times, addresses, user agents), and cuts each off by detaching its OIDC,
universal and Kubernetes auth (DELETE /api/v1/auth/<method>/identities/<id>): Infisical then refuses every
access token the identity holds, and \`terraform apply\` attaches the method again. --path names
the secret as keybridge access does (ml-training/prod/database/PASSWORD); --since, --dry-run,
--report, --from as above; without --since it looks back 89 days (how long Infisical keeps
audit logs depends on the plan).

  --project-id ID      the project's id (its audit logs are filtered by id); default: the path's
                       first segment, when it is an id
  --url URL            Infisical's address (default INFISICAL_URL)
  --client-id ID       log in with universal auth, the secret in INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET;
                       else the access token in INFISICAL_TOKEN. The identity needs the organization
                       admin role (audit logs, editing identities)
`;

type Env = Readonly<Record<string, string | undefined>>;

const ageUnits: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** --since: a moment (RFC 3339) or an age before now ("6h"). */
export function parseSince(text: string, now: number): number {
  const age = /^(\d+)([smhd])$/.exec(text.trim());
  if (age) return now - Number(age[1]) * ageUnits[age[2]!]!;
  const moment = /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(moment)) throw new UsageError(`--since ${JSON.stringify(text)} is neither an RFC 3339 time (2026-12-06T14:00:00Z) nor an age (30m, 6h, 2d)`);
  return moment;
}

function defaultReportDir(now: number): string {
  return `keybridge-incident-${new Date(now).toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}`;
}

export async function incidentCommand(argv: readonly string[], env: Env = process.env, write = (text: string) => process.stdout.write(text), now = Date.now): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      path: { type: "string" }, "audit-log": { type: "string" }, since: { type: "string" }, "dry-run": { type: "boolean" },
      report: { type: "string" }, from: { type: "string" }, var: { type: "string", multiple: true }, "var-file": { type: "string", multiple: true },
      "audit-device": { type: "string" }, url: { type: "string" }, namespace: { type: "string" }, backend: { type: "string" }, timeout: { type: "string" },
      "project-id": { type: "string" }, "client-id": { type: "string" },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; see keybridge incident --help`);
  if (!values.path?.trim()) throw new UsageError("--path is required: the secret that leaked, e.g. secret/data/ml-training/prod/database");
  const backend = values.backend ?? "vault";
  if (backend !== "vault" && backend !== "openbao" && backend !== "infisical") throw new UsageError(`--backend ${backend} is not supported; use vault, openbao or infisical`);
  const timeoutSeconds = Number(values.timeout ?? "120");
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError(`--timeout ${values.timeout} is not a positive number of seconds`);
  const started = now();
  const common: CommonOptions = {
    path: values.path.trim(),
    sinceMs: values.since === undefined ? undefined : parseSince(values.since, started),
    dryRun: values["dry-run"] ?? false,
    access: values.from === undefined ? undefined : await loadGraph(values.from, values.var ?? [], values["var-file"] ?? []),
    now,
  };
  const http = new HttpClient({ timeoutMs: timeoutSeconds * 1000, retries: 2, timeoutAdvice: "check the address, or raise --timeout" });
  try {
    const report = backend === "infisical" ? await infisicalDrill(http, values, env, common) : await vaultDrill(http, values, env, common, backend);
    const dir = values.report ?? defaultReportDir(started);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const files = [join(dir, "incident.md"), join(dir, "incident.json")];
    await writeFile(files[0]!, report.markdown, { mode: 0o600 });
    await writeFile(files[1]!, report.json, { mode: 0o600 });
    write(report.summary(files));
    return 0;
  } finally {
    await http.close();
  }
}

type Values = Readonly<Record<string, string | boolean | string[] | undefined>>;
type CommonOptions = Pick<DrillOptions, "path" | "sinceMs" | "dryRun" | "access" | "now">;

interface Report {
  readonly markdown: string;
  readonly json: string;
  summary(files: readonly string[]): string;
}

const flag = (values: Values, name: string) => (typeof values[name] === "string" ? (values[name] as string) : undefined);

async function vaultDrill(http: HttpClient, values: Values, env: Env, common: CommonOptions, backend: "vault" | "openbao"): Promise<Report> {
  const auditLog = flag(values, "audit-log");
  if (!auditLog) throw new UsageError("--audit-log is required: the file Vault's file audit device writes");
  const address = flag(values, "url") ?? env.VAULT_ADDR ?? env.BAO_ADDR;
  if (!address) throw new UsageError("no address: give --url or set VAULT_ADDR");
  const token = findVaultToken({}, env);
  if (!token) throw new UsageError("no Vault token: set VAULT_TOKEN (root, or sudo on auth/token/accessors) or run vault login");
  const url = parseBackendAddress(address);
  const namespace = flag(values, "namespace") ?? env.VAULT_NAMESPACE;
  const admin = new VaultAdmin(http, { url, namespace, token });
  const from = flag(values, "from");
  const rotation = from === undefined ? undefined : generatedRotation(http, from, common.path, { name: backend === "openbao" ? "OpenBao" : "Vault", url, namespace, token });
  const result = await runDrill(admin, { ...common, auditLog, auditDevice: flag(values, "audit-device"), rotation });
  return { markdown: reportMarkdown(result), json: reportJson(result), summary: (files) => reportSummary(result, files) };
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function infisicalDrill(http: HttpClient, values: Values, env: Env, common: CommonOptions): Promise<Report> {
  const auditLog = flag(values, "audit-log");
  if (auditLog !== undefined) {
    throw new KeybridgeError("KB_INCIDENT_UNSUPPORTED", `--audit-log ${auditLog}: Infisical writes no audit file the drill can read; on Infisical the drill reads the organization's audit logs through Infisical's API: leave --audit-log out`);
  }
  const secret = parseInfisicalSecret(common.path);
  const projectId = flag(values, "project-id") ?? (uuid.test(secret.project) ? secret.project : undefined);
  if (!projectId) throw new UsageError(`--project-id is required: "${secret.project}" is not a project id, and Infisical filters its audit logs by id (the id is in the project's settings, or in terraform output)`);
  const address = flag(values, "url") ?? env.INFISICAL_URL;
  if (!address) throw new UsageError("no address: give --url or set INFISICAL_URL");
  const url = parseBackendAddress(address);
  const login = await infisicalLogin(http, url, flag(values, "client-id"), env, "an identity with the organization admin role");
  try {
    const from = flag(values, "from");
    const rotation = from === undefined ? undefined : generatedRotation(http, from, common.path, { name: "Infisical", url, token: login.token });
    const result = await runInfisicalDrill(new InfisicalAdmin(http, url, login.token), { ...common, secret, projectId, rotation });
    return { markdown: infisicalReportMarkdown(result), json: infisicalReportJson(result), summary: (files) => infisicalReportSummary(result, files) };
  } finally {
    // A token the drill logged in for is its own to revoke; a given INFISICAL_TOKEN is not.
    if (login.owned) await revokeInfisicalToken(http, url, login.token).catch(() => undefined);
  }
}

/** With a policy document as --from, a generated secret at the path is rotated by the drill. */
function generatedRotation(http: HttpClient, from: string, path: string, connection: StoreConnection): DrillOptions["rotation"] {
  if (isTerraformSource(from)) return undefined;
  const { document } = readPolicyFile("--from", from);
  const secret = generatedSecretAt(document, path);
  return secret && { store: rotationStore(http, document, connection), secret };
}

async function loadGraph(from: string, vars: readonly string[], varFiles: readonly string[]): Promise<DrillOptions["access"]> {
  const { graph, warnings } = await loadAccessGraph(from, { vars, varFiles });
  for (const warning of [...warnings, ...graph.problems]) process.stderr.write(`keybridge incident: warning: ${warning}\n`);
  return { source: from, graph };
}
