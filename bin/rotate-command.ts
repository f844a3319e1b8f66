// `keybridge rotate`: writes a new version of every generated secret of the policy document that
// is due (check-and-set, so concurrent rotators write one version), or with --rollback restores
// one secret's previous version. One line per secret on stdout; never a value.
import { parseArgs } from "node:util";
import { readPolicyFile, policyFileName } from "../client/policy-files.ts";
import { HttpClient } from "../client/http/http-client.ts";
import { createBackend } from "../client/backends/create-backend.ts";
import { logIn, type AuthSettings } from "../client/auth/methods.ts";
import type { SecretsBackend, Session } from "../client/backends/backend.ts";
import { rotateDocument, rotationStore } from "../client/rotation/rotate-document.ts";
import { rollbackSecret } from "../client/rotation/rollback-secret.ts";
import { describeRollback } from "../client/rotation/outcome-lines.ts";
import { UsageError } from "./usage-error.ts";

export const rotateHelp = `Usage: keybridge rotate [--policy ${policyFileName}] [--dry-run] [--rollback PATH] [flags]

Writes a new version of each secret whose rotation rule is Rotation.generate(...) and whose current
version is older than the rule (or that has none yet): a fresh value for each of its keys, other
keys kept. Writes are check-and-set on the version read, so rotators running at once write one
version; the others say "already rotated". Old versions stay in KV v2's history.

Flags:
  --policy FILE       the policy document (default: ${policyFileName}), its stack directory or cdktf.out
  --dry-run           say what is due, write nothing
  --rollback PATH     restore <project>/<environment>/<secret> to its previous version (written as a new one)
  --url URL           Vault's address (default: VAULT_ADDR, then BAO_ADDR)
  --backend B         vault (default) or openbao
  --namespace NS      Vault Enterprise / OpenBao namespace
  --auth METHOD       token (default: VAULT_TOKEN or ~/.vault-token) or github-oidc (a scheduled workflow)
  --role R, --path P  github-oidc: the JWT role and auth mount (default: the document's auth mount)
`;

const flagSpec = {
  policy: { type: "string" }, "dry-run": { type: "boolean" }, rollback: { type: "string" },
  url: { type: "string" }, backend: { type: "string" }, namespace: { type: "string" },
  auth: { type: "string" }, role: { type: "string" }, path: { type: "string" },
} as const;

type Env = Readonly<Record<string, string | undefined>>;

function addressOf(given: string | undefined, env: Env): URL {
  const address = given ?? env.VAULT_ADDR ?? env.BAO_ADDR;
  if (!address) throw new UsageError("no address: give --url or set VAULT_ADDR");
  try {
    const url = new URL(address);
    if (url.protocol === "http:" || url.protocol === "https:") return url;
  } catch {
    // reported below
  }
  throw new UsageError(`the address "${address}" is not an http(s) URL; write it in full, for example https://vault.internal:8200`);
}

function authOf(values: { auth?: string | undefined; role?: string | undefined; path?: string | undefined }, authPath: string): AuthSettings {
  if (values.auth === undefined || values.auth === "token") return { method: "token" };
  if (values.auth === "github-oidc") return { method: "github-oidc", role: values.role, path: values.path ?? authPath };
  throw new UsageError(`--auth ${values.auth} is not supported by keybridge rotate; use token or github-oidc`);
}

export async function rotateCommand(argv: readonly string[], env: Env = process.env, write = (line: string) => process.stdout.write(`${line}\n`)): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...argv], options: flagSpec, allowPositionals: true, strict: true });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; see keybridge rotate --help`);
  const backendName = values.backend ?? "vault";
  if (backendName !== "vault" && backendName !== "openbao") throw new UsageError(`--backend ${backendName} is not supported by keybridge rotate; use vault or openbao`);
  const { document } = readPolicyFile("--policy", values.policy ?? policyFileName);
  const authPath = document.backend.type === "vault" ? document.backend.authPath : "jwt";
  const url = addressOf(values.url, env);
  const auth = authOf(values, authPath);
  const dryRun = values["dry-run"] === true;

  const http = new HttpClient({ timeoutMs: 60_000, retries: 4, log: (line) => process.stderr.write(`keybridge rotate: ${line}\n`) });
  const name = backendName === "openbao" ? "OpenBao" : "Vault";
  const backend = createBackend(http, { backend: backendName, url, namespace: values.namespace, authPath: values.path ?? authPath, role: values.role });
  let session: Session | undefined;
  try {
    session = await logIn(backend, auth, { http, env });
    const store = rotationStore(http, document, { name, url, namespace: values.namespace, token: session.token });
    if (values.rollback !== undefined) {
      write(describeRollback(await rollbackSecret(store, values.rollback, { dryRun })));
      return 0;
    }
    const { failures } = await rotateDocument(store, document, { dryRun, log: write });
    return failures.length > 0 ? 1 : 0;
  } finally {
    await endSession(backend, session);
    await http.close();
  }
}

/** A token Keybridge logged in for is revoked; one the user gave stays theirs. */
async function endSession(backend: SecretsBackend, session: Session | undefined): Promise<void> {
  if (session?.owned) await backend.revoke(session.token).catch(() => undefined);
}
