// Every input the Action accepts, written once: Keybridge's own and, beside them, those of
// hashicorp/vault-action (v3.4.0) and Infisical/secrets-action (v1) under their own names and
// meanings, so that a step migrates by changing `uses:` alone. action.yml's input list and the
// README's inputs table are generated from this table (scripts/generate-inputs.ts; a test fails
// when either is stale).
//
// The runner sends every default declared in action.yml as if the user had typed it. So an input
// that has a second spelling, or whose default depends on the vocabulary of the step, declares no
// default there: its default is applied in code and described in `codeDefault`.

export type InputOwner = "keybridge" | "vault-action" | "infisical";

export interface InputSpec {
  readonly name: string;
  /** Whose input this is; shared names mean the same in each owner listed. */
  readonly owners: readonly InputOwner[];
  readonly description: string;
  /** Declared in action.yml, so the runner sends it when the step leaves the input out. */
  readonly default?: string;
  /** Applied in code when the input is empty (never declared in action.yml). */
  readonly codeDefault?: string;
  /** The Keybridge input this one is another spelling of; both given and different is an error. */
  readonly spellingOf?: string;
  /** Never echoed in a message. */
  readonly secret?: boolean;
  readonly mode?: "plan" | "rotate";
}

const both: readonly InputOwner[] = ["keybridge", "vault-action"];
const keybridge: readonly InputOwner[] = ["keybridge"];
const vaultAction: readonly InputOwner[] = ["vault-action"];
const infisical: readonly InputOwner[] = ["infisical"];

export const inputTable: readonly InputSpec[] = [
  { name: "mode", owners: keybridge, default: "fetch", description: "What to do. fetch reads secrets for the job; plan comments the plan of a secret-policy change on a pull request; rotate writes a new version of each generated secret of the policy document that is due (for a scheduled workflow)." },
  {
    name: "backend", owners: keybridge, codeDefault: "inferred: infisical when an Infisical input is given (domain, project-slug, client-id, identity-id …), else vault",
    description: "The secrets backend: vault, openbao (same API as vault) or infisical.",
  },
  {
    name: "url", owners: both, codeDefault: "https://app.infisical.com with backend infisical; required for Vault and OpenBao",
    description: "The backend's address with its scheme, for example https://vault.internal:8200. A path prefix is kept.",
  },
  { name: "domain", owners: infisical, spellingOf: "url", codeDefault: "https://app.infisical.com", description: "Infisical's address (Infisical's spelling of url); selects backend infisical." },
  { name: "namespace", owners: both, description: "Vault Enterprise / HCP / OpenBao namespace, sent as X-Vault-Namespace. Empty for none." },
  {
    name: "method", owners: ["keybridge", "vault-action", "infisical"],
    codeDefault: "inferred from the credentials given: token → token, roleId → approle, githubToken → github, username → userpass, kubernetesTokenPath → kubernetes, jwtPrivateKey → jwt, client-id → universal, identity-id → oidc (with kubernetesTokenPath: kubernetes); none → jwt (the job's OIDC token). The log says what was inferred",
    description: "How to log in. Vault and OpenBao: jwt (the job's GitHub OIDC token, or a JWT signed with jwtPrivateKey), token, approle, kubernetes, userpass, ldap, github, or any other mount with authPayload. Infisical: oidc (the job's OIDC token), universal (client-id and client-secret), aws-iam (the runner's AWS credentials sign an STS GetCallerIdentity request; identity-id), kubernetes (identity-id and the pod's service-account token) or token.",
  },
  { name: "token", owners: both, secret: true, description: "A token for method token, used as it is (never revoked by Keybridge, which did not create it)." },
  { name: "path", owners: both, codeDefault: "the method's name (jwt, approle, kubernetes …)", description: "The mount the auth method is enabled at (the X in auth/X/login)." },
  { name: "role", owners: both, description: "The role to log in with (jwt, kubernetes). Empty with jwt uses the mount's default_role." },
  { name: "identity-id", owners: ["keybridge", "infisical"], description: "Infisical: the machine identity to log in as, with OIDC auth bound to this job (method oidc), AWS auth admitting the runner's AWS principal (method aws-iam) or Kubernetes auth admitting the pod's service account (method kubernetes)." },
  { name: "project", owners: keybridge, description: "Infisical: the project, by slug (read through the v3 API) or by id (v4)." },
  { name: "project-slug", owners: infisical, spellingOf: "project", description: "Infisical: the project's slug (Infisical's spelling of project)." },
  { name: "environment", owners: keybridge, description: "Infisical: the environment slug, for example prod." },
  { name: "env-slug", owners: infisical, spellingOf: "environment", description: "Infisical: the environment slug (Infisical's spelling of environment)." },
  {
    name: "secret-path", owners: infisical, codeDefault: "/",
    description: "Infisical: the folder whose every secret is exported, names as stored, when secrets is empty (Infisical's way of choosing what to read).",
  },
  { name: "recursive", owners: ["keybridge", "infisical"], default: "false", description: "Infisical: also read the folders below each path." },
  { name: "include-imports", owners: ["keybridge", "infisical"], default: "true", description: "Infisical: include secrets imported into each folder (the folder's own secrets win)." },
  { name: "expand-references", owners: keybridge, default: "true", description: "Infisical: expand ${KEY} references inside values on the server." },
  {
    name: "audience", owners: keybridge, codeDefault: "GitHub's default, https://github.com/<owner>",
    description: "The aud of the requested OIDC token; it must be in the role's bound_audiences.",
  },
  { name: "jwtGithubAudience", owners: vaultAction, spellingOf: "audience", description: "The aud of the requested OIDC token (vault-action's spelling of audience)." },
  { name: "oidc-audience", owners: infisical, spellingOf: "audience", description: "The aud of the requested OIDC token (Infisical's spelling of audience)." },
  {
    name: "secrets", owners: both,
    description: "What to read, one request per line (or separated by ;), in vault-action's syntax: `<path> <key | * | **> [| NAME]`, for example `secret/data/app/db password | DB_PASSWORD`; a KV v2 version is pinned with `?version=N`.",
  },
  { name: "export-env", owners: keybridge, codeDefault: "true (false with export-type: file)", description: "Export each secret as an environment variable of the later steps." },
  { name: "exportEnv", owners: vaultAction, spellingOf: "export-env", description: "Export each secret as an environment variable (vault-action's spelling of export-env)." },
  {
    name: "export-outputs", owners: keybridge, codeDefault: "true for a step in vault-action's vocabulary (which always sets one output per secret), else false",
    description: "Set each secret as a step output (masked; outputs holding secrets cannot leave the job).",
  },
  {
    name: "export-file", owners: keybridge,
    description: "Also write the secrets to a file of this name (for example ci.env or secrets.json), created with mode 0600 in a private directory under $RUNNER_TEMP and deleted by the post step.",
  },
  { name: "export-file-format", owners: keybridge, default: "auto", description: "Format of export-file, dotenv (shell-quoted) or json; auto picks json for a .json name." },
  {
    name: "export-type", owners: infisical, codeDefault: "env",
    description: "Infisical: env exports environment variables; file writes KEY='value' lines to file-output-path in the workspace instead (mode 0600, deleted by the post step).",
  },
  { name: "file-output-path", owners: infisical, default: "/.env", description: "Infisical: with export-type file, the file's path inside $GITHUB_WORKSPACE, starting with /." },
  { name: "mask-encodings", owners: keybridge, description: "Also mask these encoded forms of each value, comma-separated, from base64, base64url, url, json." },
  { name: "ca-certificate", owners: keybridge, description: "Extra CA to trust for the backend, as PEM text, a PEM file path, or base64 of PEM. NODE_EXTRA_CA_CERTS is honoured too." },
  { name: "caCertificate", owners: vaultAction, spellingOf: "ca-certificate", description: "Base64 of the PEM CA the backend's certificate was signed with (vault-action's spelling of ca-certificate)." },
  { name: "clientCertificate", owners: vaultAction, description: "Base64 of a PEM client certificate for mutual TLS with the backend (with clientKey)." },
  { name: "clientKey", owners: vaultAction, secret: true, description: "Base64 of the PEM private key of clientCertificate." },
  { name: "tlsSkipVerify", owners: vaultAction, default: "false", description: "Do not verify the backend's certificate. Unsafe: it works, and the log says so in a warning." },
  {
    name: "extra-headers", owners: infisical, secret: true,
    description: "Headers sent with every request to the backend, one `Name: value` per line (for header-based firewalls).",
  },
  { name: "extraHeaders", owners: vaultAction, spellingOf: "extra-headers", secret: true, description: "Headers sent with every request, one `Name: value` per line (vault-action's spelling of extra-headers)." },
  { name: "timeout", owners: keybridge, default: "60", description: "Seconds the step may spend talking to GitHub and the backend, retries included." },
  { name: "retries", owners: keybridge, default: "4", description: "Retries of each request on network errors, 412, 429 and 5xx, with jittered backoff and Retry-After." },
  { name: "revoke", owners: keybridge, default: "true", description: "Revoke the token in the post step, when the job ends (also after a failure or cancel)." },
  { name: "ignore-not-found", owners: keybridge, codeDefault: "false", description: "Skip paths that do not exist with a warning, instead of failing the step." },
  { name: "ignoreNotFound", owners: vaultAction, spellingOf: "ignore-not-found", description: "Skip paths that do not exist (vault-action's spelling of ignore-not-found)." },
  {
    name: "rotation-check", owners: keybridge, default: "warn",
    description: "What to do when a secret is older than the rotation rule in its metadata (set by the Keybridge constructs): warn, fail (nothing is exported), or off.",
  },
  {
    name: "allow-names", owners: keybridge,
    description: "Names a `*` or `**` read may export although they change how later steps run (PATH, LD_PRELOAD, BASH_ENV, NODE_OPTIONS, GITHUB_*, proxies, ...), comma- or space-separated; such a name from a secret's keys is refused unless listed here. Names written with `| NAME` are always the workflow's own.",
  },
  { name: "roleId", owners: vaultAction, description: "AppRole: the role id (method approle)." },
  { name: "secretId", owners: vaultAction, secret: true, description: "AppRole: the secret id; leave it out for a role with bind_secret_id false." },
  { name: "githubToken", owners: vaultAction, secret: true, description: "Vault's GitHub auth method: a GitHub token to log in with (not the token that comments plans; that is github-token)." },
  {
    name: "kubernetesTokenPath", owners: vaultAction, codeDefault: "/var/run/secrets/kubernetes.io/serviceaccount/token",
    description: "Kubernetes auth (Vault, OpenBao and Infisical): the file holding the pod's service-account token.",
  },
  { name: "username", owners: vaultAction, description: "userpass and ldap: the user to log in as." },
  { name: "password", owners: vaultAction, secret: true, description: "userpass and ldap: the user's password." },
  { name: "authPayload", owners: vaultAction, secret: true, description: "The JSON body of the login for any other auth method (for example cert), posted to auth/<path or method>/login." },
  { name: "jwtPrivateKey", owners: vaultAction, secret: true, description: "Base64 of a PEM RSA private key: method jwt logs in with a JWT signed by it (RS256, iss vault-action) instead of the job's OIDC token." },
  { name: "jwtKeyPassword", owners: vaultAction, secret: true, description: "The password of jwtPrivateKey, when it is encrypted." },
  { name: "jwtTtl", owners: vaultAction, default: "3600", description: "Seconds the JWT signed with jwtPrivateKey is valid." },
  { name: "exportToken", owners: vaultAction, default: "false", description: "Also export the Vault token as VAULT_TOKEN (revoked by the post step when Keybridge created it)." },
  { name: "outputToken", owners: vaultAction, default: "false", description: "Also set the Vault token as the step output vault_token." },
  { name: "secretEncodingType", owners: vaultAction, description: "Decode every value from base64, hex or utf8 before it is masked and exported." },
  { name: "client-id", owners: infisical, description: "Infisical universal auth: the machine identity's client id." },
  { name: "client-secret", owners: infisical, secret: true, description: "Infisical universal auth: the machine identity's client secret." },
  { name: "pki", owners: vaultAction, description: "Certificates to issue from Vault PKI roles instead of reading secrets, `;`-separated: `pki/issue/ROLE {JSON parameters}`. Each exports ROLE_CERT, ROLE_KEY, ROLE_CA and ROLE_CA_CHAIN (env upper-cased, outputs as named), all masked." },
  { name: "base", owners: keybridge, mode: "plan", description: "Plan mode: the policy before the change: keybridge.policy.json, its stack directory, the synth output directory, a Terraform configuration (a directory or file of .tf/.tf.json), or none." },
  { name: "head", owners: keybridge, mode: "plan", description: "Plan mode: the policy after the change (same forms as base)." },
  { name: "terraform-plan", owners: keybridge, mode: "plan", description: "Plan mode: `terraform show -json` output to summarize too (values are never shown)." },
  {
    name: "fail-on", owners: keybridge, mode: "plan", default: "high",
    description: "Plan mode: fail the step when an unacknowledged finding is this level or worse: critical, high, medium, low, info, or never.",
  },
  { name: "github-token", owners: keybridge, mode: "plan", secret: true, default: "${{ github.token }}", description: "Plan mode: the token that writes the pull request comment (needs pull-requests: write)." },
  { name: "comment", owners: keybridge, mode: "plan", default: "true", description: "Plan mode: upsert the plan as one sticky pull request comment per stack." },
  { name: "stack", owners: keybridge, mode: "plan", description: "Plan mode: the name that keys the sticky comment; defaults to the head document's stack directory." },
  { name: "policy", owners: keybridge, mode: "rotate", default: "keybridge.policy.json", description: "Rotate mode: the policy document whose generated secrets (Rotation.generate) are rotated: keybridge.policy.json, its stack directory or the synth output directory." },
  { name: "dry-run", owners: keybridge, mode: "rotate", default: "false", description: "Rotate mode: say which secrets are due, write nothing." },
  { name: "rollback", owners: keybridge, mode: "rotate", description: "Rotate mode: instead of rotating, restore this secret (<project>/<environment>/<secret>) to its previous version, written as a new version." },
];

export const inputSpecs: ReadonlyMap<string, InputSpec> = new Map(inputTable.map((spec) => [spec.name, spec]));

/** Defaults declared in action.yml, applied to inputs left empty when the runner did not send them. */
export const declaredDefaults: Readonly<Record<string, string>> = Object.fromEntries(
  inputTable.flatMap((spec) => (spec.default === undefined || spec.default.startsWith("${{") ? [] : [[spec.name, spec.default]])),
);

/** Inputs whose value is never shown in a message. */
export const secretInputNames: ReadonlySet<string> = new Set(inputTable.filter((spec) => spec.secret).map((spec) => spec.name));

/** The other spellings of a Keybridge input, its own name first. */
export function spellingsOf(name: string): string[] {
  return [name, ...inputTable.filter((spec) => spec.spellingOf === name).map((spec) => spec.name)];
}
