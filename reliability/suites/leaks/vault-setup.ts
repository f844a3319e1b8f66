// Puts the corpus and the canaries into the dev backend through Vault's HTTP API, as a platform
// team would (examples/demo/configure.ts): GitHub OIDC login, one least-privilege policy per role,
// KV v2 secrets spread over several paths.
import { enableOnce, vaultRequest, type VaultAdmin } from "../../../testkit/admin/vault.ts";
import { githubIssuer } from "../../../testkit/demo-setup.ts";
import type { CorpusValue } from "./corpus.ts";

export const audience = "https://github.com/acme";

/** A role, the claims of a job it accepts, and the KV paths its policy grants (read only). */
export interface RoleSpec {
  readonly role: string;
  readonly claims: Readonly<Record<string, string>>;
  readonly paths: readonly string[];
}

export const corpusRole: RoleSpec = {
  role: "leaks-reader",
  claims: { repository: "acme/leaks", ref: "refs/heads/main" },
  paths: [],
};

/** The KV v2 API path of corpus set `n`. */
export const setPath = (n: number) => `secret/data/leaks/set-${n}`;

/** Spreads values over `sets` paths, round robin; returns path → values. */
export function layOut(values: readonly CorpusValue[], sets: number): Map<string, CorpusValue[]> {
  const layout = new Map<string, CorpusValue[]>();
  values.forEach((value, index) => {
    const path = setPath(index % sets);
    layout.set(path, [...(layout.get(path) ?? []), value]);
  });
  return layout;
}

function policyText(paths: readonly string[]): string {
  return paths.map((path) => `path "${path}" {\n  capabilities = ["read"]\n}\n`).join("");
}

export async function enableBasics(admin: VaultAdmin): Promise<void> {
  await enableOnce(admin, "auth", "jwt", { type: "jwt" });
  await vaultRequest(admin, "POST", "auth/jwt/config", { oidc_discovery_url: githubIssuer, bound_issuer: githubIssuer });
  await enableOnce(admin, "mounts", "secret", { type: "kv", options: { version: "2" } });
}

export async function writeSecret(admin: VaultAdmin, path: string, data: Readonly<Record<string, string>>): Promise<void> {
  await vaultRequest(admin, "POST", path, { data });
}

/** A policy granting exactly `spec.paths` and a JWT role bound to `spec.claims`. */
export async function createRole(admin: VaultAdmin, spec: RoleSpec): Promise<void> {
  const policy = `${spec.role}-read`;
  await vaultRequest(admin, "PUT", `sys/policies/acl/${policy}`, { policy: policyText(spec.paths) });
  await vaultRequest(admin, "POST", `auth/jwt/role/${spec.role}`, {
    role_type: "jwt",
    user_claim: "repository",
    bound_audiences: [audience],
    bound_claims: spec.claims,
    token_ttl: "10m",
    token_max_ttl: "15m",
    token_policies: [policy],
  });
}
