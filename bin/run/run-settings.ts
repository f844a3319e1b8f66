// Resolves what to fetch and how to log in, from flags, keybridge.yml and the environment the
// Vault and Infisical CLIs already use (VAULT_ADDR, VAULT_TOKEN, ~/.vault-token, INFISICAL_TOKEN).
import { existsSync } from "node:fs";
import { parseSecretsSpec, type SecretRequest } from "../../client/secrets-spec.ts";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import { tokenHelperFile } from "../../client/auth/vault-token.ts";
import { isPortableName, parseAllowNames, portableNameRule } from "../../client/name-policy.ts";
import { UsageError } from "../usage-error.ts";
import { parseBackendAddress } from "../backend-address.ts";
import { configFileName, loadRunConfig, type AuthSettings } from "./run-config.ts";

export interface RunFlags {
  readonly env?: string;
  readonly config?: string;
  readonly backend?: string;
  readonly url?: string;
  readonly namespace?: string;
  readonly secrets?: readonly string[];
  readonly auth?: string;
  readonly role?: string;
  readonly path?: string;
  readonly jwtFile?: string;
  readonly roleId?: string;
  readonly secretIdFile?: string;
  readonly identityId?: string;
  readonly tokenPath?: string;
  readonly username?: string;
  readonly clientId?: string;
  readonly project?: string;
  readonly environment?: string;
  readonly onExpiry?: string;
  readonly allowNames?: readonly string[];
}

export interface RunSettings {
  readonly backend: "vault" | "openbao" | "infisical";
  readonly url: URL;
  readonly namespace: string | undefined;
  readonly auth: AuthSettings;
  readonly secrets: readonly SecretRequest[];
  readonly infisical: { readonly project: string; readonly environment: string } | undefined;
  /** When renewal becomes impossible: only say so, or also send the child SIGTERM at expiry. */
  readonly onExpiry: "warn" | "signal";
  /** Upper-cased names a `*`/`**` read may export although they control how programs run. */
  readonly allowNames: ReadonlySet<string>;
}

type Env = Readonly<Record<string, string | undefined>>;

function authFromFlags(flags: RunFlags): AuthSettings | undefined {
  switch (flags.auth) {
    case undefined:
      return undefined;
    case "token":
      return { method: "token" };
    case "jwt-file":
      if (!flags.jwtFile) throw new UsageError("--auth jwt-file needs --jwt-file FILE (a workload's OIDC token, e.g. a Kubernetes projected service-account token)");
      return { method: "jwt-file", jwtFile: flags.jwtFile, role: flags.role, path: flags.path };
    case "github-oidc":
      return { method: "github-oidc", role: flags.role, path: flags.path };
    case "approle":
      if (!flags.roleId) throw new UsageError("--auth approle needs --role-id ID (and --secret-id-file FILE or VAULT_SECRET_ID)");
      return { method: "approle", roleId: flags.roleId, secretIdFile: flags.secretIdFile, path: flags.path };
    case "infisical-token":
      return { method: "infisical-token" };
    case "infisical-oidc-file":
      if (!flags.jwtFile || !flags.identityId) throw new UsageError("--auth infisical-oidc-file needs --jwt-file FILE and --identity-id ID");
      return { method: "infisical-oidc-file", jwtFile: flags.jwtFile, identityId: flags.identityId };
    case "kubernetes":
      if (!flags.role && !flags.identityId) throw new UsageError("--auth kubernetes needs --role R (Vault) or --identity-id ID (Infisical), and --token-path FILE outside a pod");
      return { method: "kubernetes", role: flags.role, identityId: flags.identityId, tokenPath: flags.tokenPath, path: flags.path };
    case "userpass":
    case "ldap":
      if (!flags.username) throw new UsageError(`--auth ${flags.auth} needs --username U (and the password in VAULT_PASSWORD)`);
      return { method: flags.auth, username: flags.username, path: flags.path };
    case "github":
      return { method: "github", path: flags.path };
    case "infisical-universal":
      if (!flags.clientId) throw new UsageError("--auth infisical-universal needs --client-id ID (and the secret in INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET)");
      return { method: "infisical-universal", clientId: flags.clientId };
    case "infisical-aws-iam":
      if (!flags.identityId) throw new UsageError("--auth infisical-aws-iam needs --identity-id ID (and AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION in the environment)");
      return { method: "infisical-aws-iam", identityId: flags.identityId };
    default:
      throw new UsageError(`--auth ${flags.auth} is not a method; use token, jwt-file, github-oidc, approle, kubernetes, userpass, ldap, github, infisical-token, infisical-oidc-file, infisical-universal or infisical-aws-iam`);
  }
}

/** Without an explicit method: what the machine already has, the way the backends' own CLIs look. */
function detectAuth(backend: RunSettings["backend"], env: Env): AuthSettings {
  if (backend === "infisical") {
    if (env.INFISICAL_TOKEN) return { method: "infisical-token" };
  } else if (env.VAULT_TOKEN || env.BAO_TOKEN || existsSync(tokenHelperFile())) {
    return { method: "token" };
  }
  if (env.ACTIONS_ID_TOKEN_REQUEST_URL) return { method: "github-oidc" };
  const hint = backend === "infisical" ? "set INFISICAL_TOKEN" : "set VAULT_TOKEN or run vault login";
  throw new UsageError(`no credentials found: ${hint}, or choose --auth jwt-file, approle or github-oidc (see keybridge run --help)`);
}

export function resolveRunSettings(flags: RunFlags, env: Env = process.env): RunSettings {
  const configPath = flags.config ?? configFileName;
  const config = loadRunConfig(configPath);
  if (flags.config && !config) throw new UsageError(`--config ${flags.config} does not exist`);
  const environment = flags.env ? config?.environments[flags.env] : undefined;
  if (flags.env && !environment) {
    const known = Object.keys(config?.environments ?? {});
    throw new UsageError(`--env ${flags.env} is not an environment of ${configPath}${known.length > 0 ? `; it has ${known.join(", ")}` : config ? "" : " (no such file)"}`);
  }
  const backend = (flags.backend ?? config?.backend ?? "vault") as RunSettings["backend"];
  if (!["vault", "openbao", "infisical"].includes(backend)) throw new UsageError(`--backend ${backend} is not supported; use vault, openbao or infisical`);
  const address = flags.url ?? config?.url ?? (backend === "infisical" ? env.INFISICAL_URL : env.VAULT_ADDR ?? env.BAO_ADDR);
  if (!address) throw new UsageError(`no address: give --url, url in ${configFileName}, or ${backend === "infisical" ? "INFISICAL_URL" : "VAULT_ADDR"}`);
  const url = parseBackendAddress(address);
  const spec = flags.secrets && flags.secrets.length > 0 ? flags.secrets.join("\n") : environment?.secrets;
  if (!spec) throw new UsageError(`nothing to fetch: give --secrets '<path> <key> [| NAME]' or --env with an environment of ${configFileName}`);
  let secrets: SecretRequest[];
  try {
    secrets = parseSecretsSpec(spec);
  } catch (error) {
    throw new UsageError(error instanceof KeybridgeError ? error.message.replace(/^Input secrets/, "--secrets") : String(error));
  }
  const onExpiry = flags.onExpiry ?? "warn";
  if (onExpiry !== "warn" && onExpiry !== "signal") throw new UsageError(`--on-expiry ${onExpiry} is not supported; use warn or signal`);
  const project = flags.project ?? config?.infisical?.project;
  const infisicalEnvironment = flags.environment ?? environment?.infisicalEnvironment ?? flags.env;
  if (backend === "infisical" && (!project || !infisicalEnvironment)) {
    throw new UsageError("Infisical needs --project and --environment (or infisical.project and --env in keybridge.yml)");
  }
  const allowNames = parseAllowNames([...(flags.allowNames ?? []), config?.allowNames ?? "", environment?.allowNames ?? ""].join(","));
  const badName = [...allowNames].find((name) => !isPortableName(name));
  if (badName !== undefined) throw new UsageError(`--allow-names lists "${badName}", which is not a variable name; list names of ${portableNameRule}`);
  return {
    backend,
    url,
    namespace: flags.namespace ?? config?.namespace,
    auth: authFromFlags(flags) ?? environment?.auth ?? config?.auth ?? detectAuth(backend, env),
    secrets,
    infisical: backend === "infisical" ? { project: project!, environment: infisicalEnvironment! } : undefined,
    onExpiry,
    allowNames,
  };
}
