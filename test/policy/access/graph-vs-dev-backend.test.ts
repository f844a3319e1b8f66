// The access graph against the reference: for random Terraform configurations (JWT roles with
// exact and glob bound claims, comma lists, policies with `+`, `*`, deny and overlapping
// patterns), random jobs and random paths, the graph says a job can log in to a role and read a
// path exactly when the dev backend, loaded with the same Terraform, lets a token minted for that
// job log in and read the path. The graph's matchers are written apart from the dev backend's, so
// agreeing here means something.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { startFromTerraform } from "../../support/dev-backend.ts";
import { vaultGraphFromTerraform, type ResourceInstance } from "../../../policy/access/vault/from-terraform.ts";
import { AccessQuery } from "../../../policy/access/query.ts";

const issuer = "https://token.actions.githubusercontent.com";
const audiences = ["https://github.com/acme", "https://github.com/other"];

const segment = fc.constantFrom("a", "b", "ab", "+");
const pattern = fc
  .tuple(fc.array(segment, { minLength: 0, maxLength: 3 }), fc.boolean())
  .map(([segments, glob]) => `kv/data/${segments.join("/")}${glob ? "*" : ""}`.replace(/\/$/, glob ? "/" : ""))
  .filter((value) => value !== "kv/data/");
const capabilities = fc.subarray(["read", "list", "create", "update", "deny"], { minLength: 1 });
const policy = fc.array(fc.record({ pattern, capabilities }), { minLength: 1, maxLength: 4 });
const claimValue = {
  repository: fc.constantFrom("acme/app", "acme/*", "acme/app,acme/lib", "*"),
  ref: fc.constantFrom("refs/heads/main", "refs/heads/*", "refs/heads/main, refs/tags/*"),
};
const role = fc.record({
  audience: fc.constantFrom(...audiences),
  claims: fc.record(claimValue, { requiredKeys: [] }),
  glob: fc.boolean(),
  policies: fc.subarray(["p0", "p1", "p2"], { minLength: 1 }),
});
const job = fc.record({
  repository: fc.constantFrom("acme/app", "acme/lib", "other/x"),
  ref: fc.constantFrom("refs/heads/main", "refs/heads/dev", "refs/tags/v1"),
  aud: fc.constantFrom(...audiences),
});
const path = fc.array(fc.constantFrom("a", "b", "ab", "abc"), { minLength: 1, maxLength: 3 }).map((segments) => `kv/data/${segments.join("/")}`);

/**
 * The emulator mints only well-formed claims, so a string-matched (not glob) value holding `*`
 * admits no job it can mint. The first role matches such values as globs: some job always gets in.
 */
const holdsStar = (claims: Readonly<Record<string, string | undefined>>) => Object.values(claims).some((value) => value?.includes("*"));
const admissibleRole = role.map((spec) => (spec.glob || !holdsStar(spec.claims) ? spec : { ...spec, glob: true }));

const configuration = fc.record({
  policies: fc.tuple(policy, policy, policy),
  roles: fc.tuple(admissibleRole, fc.array(role, { maxLength: 2 })).map(([first, others]) => [first, ...others]),
  questions: fc.array(fc.tuple(job, path), { minLength: 1, maxLength: 4 }),
});

type Configuration = typeof configuration extends fc.Arbitrary<infer T> ? T : never;

/** A job the first role admits (its first accepted values, globs filled in), so every run compares some successful logins. */
function admittedJob(config: Configuration): { repository: string; ref: string; aud: string } {
  const spec = config.roles[0]!;
  const first = (value: string | undefined, fallback: string) => (value?.split(",")[0]!.trim() ?? fallback).replaceAll("*", "x");
  const repository = first(spec.claims.repository, "acme/app");
  return { repository: repository.includes("/") ? repository : "acme/app", ref: first(spec.claims.ref, "refs/heads/main"), aud: spec.audience };
}

function renderHcl(rules: Configuration["policies"][0]): string {
  return rules.map((rule) => `path "${rule.pattern}" {\n  capabilities = [${rule.capabilities.map((c) => `"${c}"`).join(", ")}]\n}\n`).join("");
}

/** The same configuration as the resources the Terraform reader yields and as a .tf.json file. */
function terraformOf(config: Configuration): { instances: ResourceInstance[]; document: Record<string, unknown> } {
  const policies = config.policies.map((rules, index) => ({ name: `p${index}`, policy: renderHcl(rules) }));
  const roles = config.roles.map((spec, index) => ({
    backend: "jwt",
    role_name: `r${index}`,
    role_type: "jwt",
    user_claim: "repository",
    bound_audiences: [spec.audience],
    bound_claims: spec.claims,
    bound_claims_type: spec.glob ? "glob" : "string",
    token_policies: spec.policies,
  }));
  const instances: ResourceInstance[] = [
    ...policies.map((attributes, index) => ({ mode: "managed" as const, type: "vault_policy", address: `vault_policy.p${index}`, attributes })),
    ...roles.map((attributes, index) => ({ mode: "managed" as const, type: "vault_jwt_auth_backend_role", address: `vault_jwt_auth_backend_role.r${index}`, attributes })),
  ];
  const document = {
    resource: {
      vault_mount: { kv: { path: "kv", type: "kv", options: { version: "2" } } },
      vault_jwt_auth_backend: { gh: { path: "jwt", type: "jwt", oidc_discovery_url: issuer, bound_issuer: issuer } },
      vault_policy: Object.fromEntries(policies.map((attributes) => [attributes.name, attributes])),
      vault_jwt_auth_backend_role: Object.fromEntries(roles.map((attributes) => [attributes.role_name, { ...attributes, depends_on: ["vault_jwt_auth_backend.gh"] }])),
    },
  };
  return { instances, document };
}

describe("the access graph agrees with the dev backend", () => {
  it("on who logs in to which role and who reads which path, for random configurations", async () => {
    await fc.assert(
      fc.asyncProperty(configuration, async (config) => {
        let compared = 0;
        const { instances, document } = terraformOf(config);
        const query = new AccessQuery(vaultGraphFromTerraform(instances));
        const backend = await startFromTerraform(document, "random.tf.json");
        try {
          const questions = [...config.questions, [admittedJob(config), config.questions[0]![1]] as const];
          for (const [{ aud, ...claims }, secretPath] of questions) {
            const token = await backend.test.githubToken(claims, aud);
            const admitted = new Set(query.rolesFor({ ...claims, aud, sub: `repo:${claims.repository}:ref:${claims.ref}` }).map((entry) => entry.id));
            for (const role of query.graph.roles) {
              const login = await backend.test.vault("POST", "auth/jwt/login", { body: { role: role.id.split("/").pop(), jwt: token }, headers: { "X-Vault-Token": "" } });
              assert.equal(login.status === 200, admitted.has(role.id), `login to ${role.id} with ${JSON.stringify(claims)} aud ${aud}: dev backend ${login.status} ${JSON.stringify(login.body.errors ?? "")}`);
              if (login.status !== 200) continue;
              const read = await backend.test.vault("GET", secretPath, { token: login.body.auth.client_token });
              const graphReads = query.accessOn(role, secretPath)?.capabilities.includes("read") ?? false;
              assert.equal(read.status !== 403, graphReads, `read ${secretPath} as ${role.id}: dev backend ${read.status}, graph ${graphReads}\n${config.policies.map(renderHcl).join("---\n")}`);
              compared += 1;
            }
          }
        } finally {
          await backend.close();
        }
        assert.ok(compared > 0, `no login succeeded: ${JSON.stringify(admittedJob(config))} should get into ${JSON.stringify(config.roles[0])}`);
      }),
      { numRuns: 25 },
    );
  });
});
