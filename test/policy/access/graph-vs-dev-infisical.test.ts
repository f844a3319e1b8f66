// The access graph's Infisical side against the reference: for random identities (OIDC auth with
// glob and exact subjects, audiences and claims), random custom project roles (permissions_v2 with
// environment and secret-path conditions, inverted rules) and built-in roles, random jobs and the
// declared secrets, the graph says a job logs in and reads a secret's value exactly when the dev
// backend, loaded with the same Terraform, lets a token minted for that job do so.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { startFromTerraform } from "../../support/dev-backend.ts";
import { graphFromTerraform } from "../../../policy/access/from-terraform.ts";
import { ComputedValue, type ResourceInstance } from "../../../policy/access/resources.ts";
import { AccessQuery } from "../../../policy/access/query.ts";

const issuer = "https://token.actions.githubusercontent.com";
const secrets = [
  { env: "dev", folder: "/", key: "ROOT" },
  { env: "dev", folder: "/a", key: "A" },
  { env: "prod", folder: "/a", key: "PA" },
  { env: "prod", folder: "/a/b", key: "AB" },
  { env: "prod", folder: "/c", key: "C" },
];

const condition = fc.record(
  {
    environment: fc.oneof(fc.constant({ $eq: "prod" }), fc.constant({ $eq: "dev" }), fc.constant({ $glob: "pr*" })),
    secretPath: fc.constantFrom({ $glob: "/a/**" }, { $glob: "/a/*" }, { $glob: "/*" }, { $eq: "/c" }, { $glob: "/**" }, { $eq: "/" }),
  },
  { requiredKeys: [] },
);
const permission = fc.record({
  action: fc.subarray(["readValue", "describeSecret", "read"], { minLength: 1 }),
  conditions: condition,
  inverted: fc.boolean(),
});
const spec = fc.record({
  permissions: fc.array(permission, { minLength: 1, maxLength: 3 }),
  roleSlug: fc.constantFrom("custom", "viewer", "no-access", "member"),
  subject: fc.option(fc.constantFrom("repo:acme/*", "repo:acme/app:ref:refs/heads/main", "repo:acme/**", "repo:*:ref:refs/heads/*"), { nil: undefined }),
  repository: fc.option(fc.constantFrom("acme/app", "acme/*", "acme/app, acme/lib"), { nil: undefined }),
  audience: fc.constantFrom("https://github.com/acme", "https://github.com/*"),
  jobs: fc.array(fc.record({ repository: fc.constantFrom("acme/app", "acme/lib", "other/x"), ref: fc.constantFrom("refs/heads/main", "refs/heads/dev") }), { minLength: 1, maxLength: 3 }),
});

type Spec = typeof spec extends fc.Arbitrary<infer T> ? T : never;

function configuration(input: Spec): { document: Record<string, unknown>; instances: ResourceInstance[] } {
  const ref = (address: string) => `\${${address}.id}`;
  const role = { project_slug: "shop", name: "Custom", slug: "custom", permissions_v2: input.permissions.map((entry) => ({ subject: "secrets", action: entry.action, conditions: JSON.stringify(entry.conditions), inverted: entry.inverted })) };
  const oidc = { identity_id: ref("infisical_identity.ci"), oidc_discovery_url: issuer, bound_issuer: issuer, bound_audiences: [input.audience], ...(input.subject ? { bound_subject: input.subject } : {}), ...(input.repository ? { bound_claims: { repository: input.repository } } : {}), access_token_ttl: 600, access_token_max_ttl: 900 };
  const membership = { identity_id: ref("infisical_identity.ci"), project_id: ref("infisical_project.shop"), roles: [{ role_slug: input.roleSlug }], depends_on: ["infisical_project_role.custom"] };
  const identity = { name: "ci", org_id: "org-1", role: "no-access" };
  const project = { name: "Shop", slug: "shop", should_create_default_envs: true };
  const folders = [{ env: "dev", path: "/", name: "a" }, { env: "prod", path: "/", name: "a" }, { env: "prod", path: "/a", name: "b" }, { env: "prod", path: "/", name: "c" }];
  const document = {
    resource: {
      infisical_project: { shop: project },
      infisical_identity: { ci: identity },
      infisical_identity_oidc_auth: { ci: oidc },
      infisical_project_role: { custom: { ...role, depends_on: ["infisical_project.shop"] } },
      infisical_project_identity: { ci: membership },
      infisical_secret_folder: Object.fromEntries(folders.map((folder, index) => [`f${index}`, { project_id: ref("infisical_project.shop"), environment_slug: folder.env, folder_path: folder.path, name: folder.name, ...(index === 2 ? { depends_on: ["infisical_secret_folder.f1"] } : {}) }])),
      infisical_secret: Object.fromEntries(secrets.map((secret, index) => [`s${index}`, { workspace_id: ref("infisical_project.shop"), env_slug: secret.env, folder_path: secret.folder, name: secret.key, value: `value-${index}`, depends_on: Object.keys(folders).map((_, f) => `infisical_secret_folder.f${f}`) }])),
    },
    output: { identity: { value: ref("infisical_identity.ci") } },
  };
  const computed = (address: string) => new ComputedValue(`${address}.id`);
  const instances: ResourceInstance[] = [
    { mode: "managed", type: "infisical_project", address: "infisical_project.shop", attributes: project },
    { mode: "managed", type: "infisical_identity", address: "infisical_identity.ci", attributes: identity },
    { mode: "managed", type: "infisical_identity_oidc_auth", address: "infisical_identity_oidc_auth.ci", attributes: { ...oidc, identity_id: computed("infisical_identity.ci") } },
    { mode: "managed", type: "infisical_project_role", address: "infisical_project_role.custom", attributes: role },
    { mode: "managed", type: "infisical_project_identity", address: "infisical_project_identity.ci", attributes: { ...membership, identity_id: computed("infisical_identity.ci"), project_id: computed("infisical_project.shop") } },
    ...secrets.map((secret, index): ResourceInstance => ({ mode: "managed", type: "infisical_secret", address: `infisical_secret.s${index}`, attributes: { workspace_id: computed("infisical_project.shop"), env_slug: secret.env, folder_path: secret.folder, name: secret.key } })),
  ];
  return { document, instances };
}

describe("the access graph agrees with the dev backend's Infisical side", () => {
  it("on who logs in and who reads which secret's value, for random identities and roles", async () => {
    let reads = 0;
    await fc.assert(
      fc.asyncProperty(spec, async (input) => {
        const { document, instances } = configuration(input);
        const query = new AccessQuery(graphFromTerraform(instances));
        const started = await startFromTerraform(document, "infisical.tf.json");
        const addr = started.test.backend.info.infisical!.addr;
        const identityId = started.test.backend.info.outputs!.identity as string;
        try {
          for (const job of input.jobs) {
            const jwt = await started.test.githubToken(job, "https://github.com/acme");
            const login = await fetch(`${addr}/api/v1/auth/oidc-auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ identityId, jwt }) });
            const claims = { ...job, aud: "https://github.com/acme", sub: `repo:${job.repository}:ref:${job.ref}` };
            const roles = query.rolesFor(claims);
            assert.equal(login.status === 200, roles.length === 1, `login ${JSON.stringify(job)} with ${JSON.stringify(input)}: dev backend ${login.status}`);
            if (login.status !== 200) continue;
            const token = ((await login.json()) as { accessToken: string }).accessToken;
            for (const secret of secrets) {
              const url = `${addr}/api/v3/secrets/raw/${secret.key}?workspaceSlug=shop&environment=${secret.env}&secretPath=${encodeURIComponent(secret.folder)}`;
              const reply = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
              const body = (await reply.json()) as { secret?: { secretValueHidden?: boolean } };
              const devReads = reply.status === 200 && body.secret?.secretValueHidden !== true;
              const path = ["shop", secret.env, secret.folder.replace(/^\//, ""), secret.key].filter(Boolean).join("/");
              const graphReads = query.accessOn(roles[0]!, path)?.capabilities.includes("read") ?? false;
              assert.equal(graphReads, devReads, `read ${path}: dev backend ${reply.status}${body.secret?.secretValueHidden ? " (value hidden)" : ""}, graph ${graphReads}; ${JSON.stringify(input.roleSlug === "custom" ? input.permissions : input.roleSlug)}`);
              reads += 1;
            }
          }
        } finally {
          await started.close();
        }
      }),
      { numRuns: 25 },
    );
    assert.ok(reads > 0, "no job logged in: the generator should admit some");
  });
});
