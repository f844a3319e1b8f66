// A large Vault configuration as the Terraform reader yields it: N JWT roles (one per repository,
// bound to main, some by subject glob), N policies with exact, glob and `+` rules (some deny), and
// P declared KV v2 secrets spread over the teams' environments.
import type { ResourceInstance } from "../../policy/access/vault/from-terraform.ts";

export function largeConfiguration(roles: number, paths: number, widen = false): ResourceInstance[] {
  const instances: ResourceInstance[] = [];
  const teams = Math.max(1, Math.floor(roles / 10));
  for (let index = 0; index < roles; index += 1) {
    const team = `team-${index % teams}`;
    const environment = index % 3 === 0 ? "prod" : "dev";
    const policy = `${team}-${index}`;
    const wide = widen && index % 100 === 0;
    const rules = [
      `path "secret/data/${team}/${environment}/app-${index}/*" { capabilities = ["read"] }`,
      `path "secret/metadata/${team}/${environment}/*" { capabilities = ["list"] }`,
      `path "secret/data/${team}/+/shared" { capabilities = ["read"] }`,
      `path "secret/data/${team}/${environment}/app-${index}/admin" { capabilities = ["deny"] }`,
      ...(wide ? [`path "secret/data/${team}/*" { capabilities = ["read", "update"] }`] : []),
    ];
    instances.push({ mode: "managed", type: "vault_policy", address: `vault_policy.p["${policy}"]`, attributes: { name: policy, policy: rules.join("\n") } });
    instances.push({
      mode: "managed",
      type: "vault_jwt_auth_backend_role",
      address: `vault_jwt_auth_backend_role.ci["${policy}"]`,
      attributes: {
        role_name: policy,
        role_type: "jwt",
        bound_audiences: ["https://github.com/acme"],
        bound_claims_type: index % 2 === 0 ? "glob" : "string",
        bound_claims: index % 2 === 0 ? { sub: `repo:acme/app-${index}:ref:refs/heads/*` } : { repository: `acme/app-${index}`, ref: "refs/heads/main" },
        token_policies: [policy],
        token_ttl: 600,
        token_max_ttl: 900,
      },
    });
  }
  for (let index = 0; index < paths; index += 1) {
    const owner = index % roles;
    const team = `team-${owner % teams}`;
    const environment = owner % 3 === 0 ? "prod" : "dev";
    instances.push({ mode: "managed", type: "vault_kv_secret_v2", address: `vault_kv_secret_v2.s["${index}"]`, attributes: { mount: "secret", name: `${team}/${environment}/app-${owner}/secret-${index}` } });
  }
  return instances;
}
