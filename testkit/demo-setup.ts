// The demo's secret policy, set up the way a platform team would on Vault: GitHub OIDC login, a
// least-privilege policy, one role bound to the claims of the production pipeline, and the secrets.
// The demo, the end-to-end and conformance tests and the reliability suites all start from it;
// examples/demo/configure.ts runs it against any Vault.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { enableOnce, vaultRequest, type VaultAdmin } from "./admin/vault.ts";

export const githubIssuer = "https://token.actions.githubusercontent.com";

export const demoRole = {
  name: "ml-training-prod",
  audience: "https://github.com/acme",
  claims: { repository: "acme/training", ref: "refs/heads/main", runner_environment: "self-hosted" },
  policy: "ml-training-prod-read",
} as const;

const readPolicy = `
# CI of ml-training in prod may read its secrets and list their names, nothing else.
path "secret/data/ml-training/prod/*" {
  capabilities = ["read"]
}
path "secret/metadata/ml-training/prod/*" {
  capabilities = ["list"]
}
`;

export interface DemoSecrets {
  readonly database: { readonly username: string; readonly password: string };
  readonly api: { readonly token: string; readonly signing_key: string };
}

/** Fresh values on every run: nothing that looks like a credential is committed. */
export function generateDemoSecrets(): DemoSecrets {
  const { privateKey } = generateKeyPairSync("ed25519");
  return {
    database: { username: "training_app", password: randomBytes(18).toString("base64url") },
    api: {
      token: `kbdemo_${randomBytes(20).toString("hex")}`,
      signing_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString().trimEnd(),
    },
  };
}

export async function configureDemo(admin: VaultAdmin, secrets: DemoSecrets = generateDemoSecrets()): Promise<DemoSecrets> {
  await enableOnce(admin, "auth", "jwt", { type: "jwt" });
  await vaultRequest(admin, "POST", "auth/jwt/config", { oidc_discovery_url: githubIssuer, bound_issuer: githubIssuer });
  await enableOnce(admin, "mounts", "secret", { type: "kv", options: { version: "2" } });
  await vaultRequest(admin, "PUT", `sys/policies/acl/${demoRole.policy}`, { policy: readPolicy });
  await vaultRequest(admin, "POST", `auth/jwt/role/${demoRole.name}`, {
    role_type: "jwt",
    user_claim: "repository",
    bound_audiences: [demoRole.audience],
    bound_claims: demoRole.claims,
    token_ttl: "10m",
    token_max_ttl: "15m",
    token_policies: [demoRole.policy],
  });
  await vaultRequest(admin, "POST", "secret/data/ml-training/prod/database", { data: secrets.database });
  await vaultRequest(admin, "POST", "secret/data/ml-training/prod/api", { data: secrets.api });
  return secrets;
}
