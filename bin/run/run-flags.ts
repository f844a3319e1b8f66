// The flags `keybridge run` and `keybridge env` share.
import { parseArgs } from "node:util";
import type { RunFlags } from "./run-settings.ts";

export const sharedFlagsHelp = `  --env NAME              an environment of keybridge.yml (its secrets, and its auth if it has one)
  --config FILE           the config file (default: keybridge.yml in the current directory)
  --backend B             vault (default), openbao or infisical
  --url URL               the backend's address (default: the config, then VAULT_ADDR / INFISICAL_URL)
  --secrets SPEC          what to fetch, in the Action's syntax; repeat it or use ; between requests
  --auth METHOD           token (VAULT_TOKEN or ~/.vault-token), jwt-file, github-oidc, approle,
                          kubernetes, userpass or ldap (VAULT_PASSWORD), github (VAULT_AUTH_GITHUB_TOKEN),
                          infisical-token (INFISICAL_TOKEN), infisical-oidc-file, infisical-universal
                          (INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET) or infisical-aws-iam (--identity-id,
                          AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_REGION); found by itself when omitted
  --role R, --path P      the JWT role and auth mount (default jwt; approle for AppRole)
  --jwt-file FILE         a workload's OIDC token, e.g. a Kubernetes projected service-account token
  --role-id ID, --secret-id-file FILE   AppRole credentials (or VAULT_SECRET_ID)
  --token-path FILE       Kubernetes: the service-account token (default: the pod's mounted one)
  --username U            userpass and ldap: the user (the password from VAULT_PASSWORD)
  --client-id ID          Infisical universal auth (the secret from INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET)
  --identity-id ID, --project P, --environment E   Infisical
  --namespace NS          Vault Enterprise / OpenBao namespace
  --allow-names N,...     names a * or ** read may export although they control how programs run
                          (PATH, LD_PRELOAD, NODE_OPTIONS, ...); refused otherwise`;

export function parseRunFlags(argv: readonly string[], extra: Record<string, { type: "string" | "boolean"; multiple?: boolean }> = {}) {
  return parseArgs({
    args: [...argv],
    options: {
      env: { type: "string" }, config: { type: "string" }, backend: { type: "string" }, url: { type: "string" }, namespace: { type: "string" },
      secrets: { type: "string", multiple: true }, auth: { type: "string" }, role: { type: "string" }, path: { type: "string" },
      "jwt-file": { type: "string" }, "role-id": { type: "string" }, "secret-id-file": { type: "string" }, "identity-id": { type: "string" },
      "token-path": { type: "string" }, username: { type: "string" }, "client-id": { type: "string" },
      project: { type: "string" }, environment: { type: "string" }, "on-expiry": { type: "string" },
      "allow-names": { type: "string", multiple: true },
      ...extra,
    },
    allowPositionals: true,
    strict: true,
  });
}

export function toRunFlags(values: Record<string, string | boolean | string[] | undefined>): RunFlags {
  const text = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  return {
    env: text("env"), config: text("config"), backend: text("backend"), url: text("url"), namespace: text("namespace"),
    secrets: Array.isArray(values.secrets) ? values.secrets : undefined, auth: text("auth"), role: text("role"), path: text("path"),
    jwtFile: text("jwt-file"), roleId: text("role-id"), secretIdFile: text("secret-id-file"), identityId: text("identity-id"),
    tokenPath: text("token-path"), username: text("username"), clientId: text("client-id"),
    project: text("project"), environment: text("environment"), onExpiry: text("on-expiry"),
    allowNames: Array.isArray(values["allow-names"]) ? values["allow-names"] : undefined,
  };
}
