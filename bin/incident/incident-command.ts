// `keybridge incident`: the leaked-credential drill. Flags and the backend's address and token
// are read here; the drill itself is drill.ts, its report report.ts.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { HttpClient } from "../../client/http/http-client.ts";
import { findVaultToken } from "../../client/auth/vault-token.ts";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import { loadAccessGraph } from "../access/load-graph.ts";
import { parseBackendAddress } from "../backend-address.ts";
import { UsageError } from "../usage-error.ts";
import { runDrill, type DrillOptions } from "./drill.ts";
import { reportJson, reportMarkdown, reportSummary } from "./report.ts";
import { VaultAdmin } from "./vault-admin.ts";

export const incidentHelp = `Usage: keybridge incident --path PATH --audit-log FILE [flags]

The leaked-credential drill. Reads Vault's file audit log for every read of PATH, names who read
it (the token's display name, role and login claims, policies, address, time), matches the
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
  --audit-device NAME  the device that wrote the log, when Vault has several (default: the one
                       whose file is FILE, or the only one)
  --url URL            Vault's address (default VAULT_ADDR, BAO_ADDR); --namespace NS (VAULT_NAMESPACE)
  --backend B          vault (default) or openbao; infisical is refused: see docs/ERRORS.md
  --timeout SECONDS    the budget for all of the drill's requests (default 120)

The token is VAULT_TOKEN (or BAO_TOKEN, or ~/.vault-token): root, or sudo on auth/token/accessors.
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
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; see keybridge incident --help`);
  if (!values.path?.trim()) throw new UsageError("--path is required: the secret that leaked, e.g. secret/data/ml-training/prod/database");
  if (!values["audit-log"]) throw new UsageError("--audit-log is required: the file Vault's file audit device writes");
  const backend = values.backend ?? "vault";
  if (backend === "infisical") {
    throw new KeybridgeError("KB_INCIDENT_UNSUPPORTED", "--backend infisical: the drill reads Vault's file audit log; for Infisical, find the reads in the project's audit logs and revoke the identity's access tokens there");
  }
  if (backend !== "vault" && backend !== "openbao") throw new UsageError(`--backend ${backend} is not supported; use vault or openbao`);
  const address = values.url ?? env.VAULT_ADDR ?? env.BAO_ADDR;
  if (!address) throw new UsageError("no address: give --url or set VAULT_ADDR");
  const token = findVaultToken({}, env);
  if (!token) throw new UsageError("no Vault token: set VAULT_TOKEN (root, or sudo on auth/token/accessors) or run vault login");
  const timeoutSeconds = Number(values.timeout ?? "120");
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError(`--timeout ${values.timeout} is not a positive number of seconds`);

  const started = now();
  const options: DrillOptions = {
    path: values.path.trim(),
    auditLog: values["audit-log"],
    sinceMs: values.since === undefined ? undefined : parseSince(values.since, started),
    dryRun: values["dry-run"] ?? false,
    auditDevice: values["audit-device"],
    access: values.from === undefined ? undefined : await loadGraph(values.from, values.var ?? [], values["var-file"] ?? []),
    now,
  };
  const http = new HttpClient({ timeoutMs: timeoutSeconds * 1000, retries: 2, timeoutAdvice: "check the address, or raise --timeout" });
  try {
    const admin = new VaultAdmin(http, { url: parseBackendAddress(address), namespace: values.namespace ?? env.VAULT_NAMESPACE, token });
    const result = await runDrill(admin, options);
    const dir = values.report ?? defaultReportDir(started);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const files = [join(dir, "incident.md"), join(dir, "incident.json")];
    await writeFile(files[0]!, reportMarkdown(result), { mode: 0o600 });
    await writeFile(files[1]!, reportJson(result), { mode: 0o600 });
    write(reportSummary(result, files));
    return 0;
  } finally {
    await http.close();
  }
}

async function loadGraph(from: string, vars: readonly string[], varFiles: readonly string[]): Promise<DrillOptions["access"]> {
  const { graph, warnings } = await loadAccessGraph(from, { vars, varFiles });
  for (const warning of [...warnings, ...graph.problems]) process.stderr.write(`keybridge incident: warning: ${warning}\n`);
  return { source: from, graph };
}
