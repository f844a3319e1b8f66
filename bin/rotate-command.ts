// `keybridge rotate`: writes a new version of every generated secret of the policy document that
// is due (check-and-set on Vault and OpenBao, so concurrent rotators write one version; on
// Infisical a re-read before and after each write), or with --rollback restores one secret's
// previous version. One line per secret on stdout; never a value.
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
import { infisicalLogin } from "./infisical-login.ts";
import { revokeInfisicalToken } from "../client/backends/revocation.ts";
import type { PolicyDocument } from "../policy/document.ts";
import type { VersionedSecretStore } from "../client/rotation/versioned-store.ts";

export const rotateHelp = `Usage: keybridge rotate [--policy ${policyFileName}] [--dry-run] [--rollback PATH] [flags]

Writes a new version of each secret whose rotation rule is Rotation.generate(...) and whose current
version is older than the rule (or that has none yet): a fresh value for each of its keys, other
keys kept. Writes are check-and-set on the version read, so rotators running at once write one
version; the others say "already rotated". Old versions stay in KV v2's history.
On Infisical (a document synthesized with InfisicalBackend) each key is a secret of the folder
/<secret>; Infisical has no check-and-set, so serialize rotators (the workflow's concurrency group).

Flags:
  --policy FILE       the policy document (default: ${policyFileName}), its stack directory or cdktf.out
  --dry-run           say what is due, write nothing
  --rollback PATH     restore <project>/<environment>/<secret> to its previous version (written as a new one)
  --url URL           the backend's address (default: VAULT_ADDR, then BAO_ADDR; Infisical: INFISICAL_URL,
                      then the document's url)
  --backend B         vault (default), openbao or infisical (the default when the document's backend is)
  --namespace NS      Vault Enterprise / OpenBao namespace
  --auth METHOD       token (default: VAULT_TOKEN or ~/.vault-token) or github-oidc (a scheduled workflow)
  --role R, --path P  github-oidc: the JWT role and auth mount (default: the document's auth mount)
  --client-id ID      Infisical: log in with universal auth, the secret in INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET
                      (default: the access token in INFISICAL_TOKEN)
`;

const flagSpec = {
  policy: { type: "string" }, "dry-run": { type: "boolean" }, rollback: { type: "string" },
  url: { type: "string" }, backend: { type: "string" }, namespace: { type: "string" },
  auth: { type: "string" }, role: { type: "string" }, path: { type: "string" }, "client-id": { type: "string" },
} as const;

type Env = Readonly<Record<string, string | undefined>>;

function addressOf(given: string | undefined, env: Env, document: PolicyDocument): URL {
  const address = document.backend.type === "infisical" ? given ?? env.INFISICAL_URL ?? document.backend.url : given ?? env.VAULT_ADDR ?? env.BAO_ADDR;
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

type Values = ReturnType<typeof parseArgs<{ options: typeof flagSpec; allowPositionals: true; strict: true }>>["values"];

interface RotateRun {
  readonly store: VersionedSecretStore;
  readonly dryRun: boolean;
  readonly write: (line: string) => void;
}

export async function rotateCommand(argv: readonly string[], env: Env = process.env, write = (line: string) => process.stdout.write(`${line}\n`)): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...argv], options: flagSpec, allowPositionals: true, strict: true });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; see keybridge rotate --help`);
  const { document } = readPolicyFile("--policy", values.policy ?? policyFileName);
  const backendName = values.backend ?? (document.backend.type === "infisical" ? "infisical" : "vault");
  if (backendName !== "vault" && backendName !== "openbao" && backendName !== "infisical") {
    throw new UsageError(`--backend ${backendName} is not supported by keybridge rotate; use vault, openbao or infisical`);
  }
  const url = addressOf(values.url, env, document);
  const dryRun = values["dry-run"] === true;
  const http = new HttpClient({ timeoutMs: 60_000, retries: 4, log: (line) => process.stderr.write(`keybridge rotate: ${line}\n`) });
  try {
    if (backendName === "infisical") return await rotateOnInfisical(http, document, url, values, env, { dryRun, write });
    return await rotateOnVault(http, document, url, values, env, { name: backendName === "openbao" ? "OpenBao" : "Vault", dryRun, write });
  } finally {
    await http.close();
  }
}

async function rotateOnVault(http: HttpClient, document: PolicyDocument, url: URL, values: Values, env: Env, run: { name: "Vault" | "OpenBao"; dryRun: boolean; write: (line: string) => void }): Promise<number> {
  const authPath = document.backend.type === "vault" ? document.backend.authPath : "jwt";
  const auth = authOf(values, authPath);
  const backend = createBackend(http, { backend: run.name === "OpenBao" ? "openbao" : "vault", url, namespace: values.namespace, authPath: values.path ?? authPath, role: values.role });
  let session: Session | undefined;
  try {
    session = await logIn(backend, auth, { http, env });
    const store = rotationStore(http, document, { name: run.name, url, namespace: values.namespace, token: session.token });
    return await rotateOrRollBack(document, values, { store, dryRun: run.dryRun, write: run.write });
  } finally {
    await endSession(backend, session);
  }
}

async function rotateOnInfisical(http: HttpClient, document: PolicyDocument, url: URL, values: Values, env: Env, run: { dryRun: boolean; write: (line: string) => void }): Promise<number> {
  if (values.auth !== undefined) throw new UsageError(`--auth ${values.auth}: on Infisical keybridge rotate logs in with --client-id or INFISICAL_TOKEN; leave --auth out`);
  const login = await infisicalLogin(http, url, values["client-id"], env, "an identity whose project role may read, create and edit the generated secrets");
  try {
    const store = rotationStore(http, document, { name: "Infisical", url, token: login.token });
    return await rotateOrRollBack(document, values, { store, dryRun: run.dryRun, write: run.write });
  } finally {
    if (login.owned) await revokeInfisicalToken(http, url, login.token).catch(() => undefined);
  }
}

async function rotateOrRollBack(document: PolicyDocument, values: Values, run: RotateRun): Promise<number> {
  if (values.rollback !== undefined) {
    run.write(describeRollback(await rollbackSecret(run.store, values.rollback, { dryRun: run.dryRun })));
    return 0;
  }
  const { failures } = await rotateDocument(run.store, document, { dryRun: run.dryRun, log: run.write });
  return failures.length > 0 ? 1 : 0;
}

/** A token Keybridge logged in for is revoked; one the user gave stays theirs. */
async function endSession(backend: SecretsBackend, session: Session | undefined): Promise<void> {
  if (session?.owned) await backend.revoke(session.token).catch(() => undefined);
}
