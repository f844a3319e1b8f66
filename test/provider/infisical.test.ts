import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { synthScope } from "./support/testing-app.ts";
import { Duration, GitHubOidc, InfisicalBackend, Rotation, SecretsPlatform, SsoGroup, VaultBackend } from "../../provider/index.ts";
import type { Construct } from "../../provider/cdk.ts";
import { matchSnapshot } from "../support/snapshot.ts";

function declare(scope: Construct, backend: InfisicalBackend | VaultBackend): SecretsPlatform {
  const platform = new SecretsPlatform(scope, "secrets", { backend });
  const ml = platform.addProject("ml-training", { environments: ["dev", { name: "prod", protected: true }] });
  ml.addSecret("database", { keys: ["username", "password"], rotation: Rotation.every(Duration.days(30)) });
  ml.addSecret("api/stripe", { keys: ["token"] });
  ml.grantRead(GitHubOidc.repository("acme/training", { ref: "refs/heads/main", environment: "prod", runner: "self-hosted" }),
    { id: "ci-prod", environment: "prod", paths: ["database"], tokenTtl: Duration.minutes(5) });
  ml.grantRead(GitHubOidc.repository("acme/training", { refPattern: "refs/heads/*", events: ["push", "workflow_dispatch"] }), { id: "ci-dev", environment: "dev", paths: ["api/*"] });
  ml.grantReadWrite(SsoGroup.named("ml-admins"), { id: "admins", environment: "*" });
  return platform;
}

const infisical = () => InfisicalBackend.project({ url: "https://secrets.acme.internal", organizationId: "2b1c9d7e-0000-4000-8000-00000000a11c", tokenUsesLimit: 50 });

function resources(json: string, type: string): Record<string, any>[] {
  return Object.values(JSON.parse(json).resource?.[type] ?? {});
}

describe("synth on the Infisical target", () => {
  let policy = "";
  const json = synthScope((stack) => void (policy = JSON.stringify(declare(stack, infisical()).toPolicyDocument())));

  it("matches the snapshot", () => matchSnapshot(new URL("./__snapshots__/infisical-ml-training.tf.json", import.meta.url), json));

  it("declares the infisical/infisical provider and exactly the environments given, no defaults", () => {
    assert.equal(JSON.parse(json).terraform.required_providers.infisical.source, "infisical/infisical");
    const [project] = resources(json, "infisical_project");
    assert.equal(project!.should_create_default_envs, false);
    assert.deepEqual(resources(json, "infisical_project_environment").map((environment) => environment.slug).sort(), ["dev", "prod"]);
  });

  it("makes a folder per secret and environment, nested folders once, rotation in the description", () => {
    const folders = resources(json, "infisical_secret_folder");
    assert.equal(folders.length, 6, "database, api and api/stripe in 2 environments");
    const database = folders.find((folder) => folder.name === "database" && String(folder.environment_slug).includes("prod"))!;
    assert.match(database.description, /rotation: at most 30 days old \(manual\)/);
  });

  it("binds a machine identity per GitHub grant to the job's claims, with a short token life and a uses limit", () => {
    const auths = resources(json, "infisical_identity_oidc_auth");
    assert.equal(auths.length, 2);
    const prod = auths.find((auth) => auth.bound_claims.environment === "prod")!;
    assert.deepEqual(prod.bound_claims, { environment: "prod", ref: "refs/heads/main", repository: "acme/training", runner_environment: "self-hosted" });
    assert.deepEqual(prod.bound_audiences, ["https://github.com/acme"]);
    assert.equal(prod.access_token_ttl, 300);
    assert.equal(prod.access_token_num_uses_limit, 50);
    const dev = auths.find((auth) => auth !== prod)!;
    assert.equal(dev.bound_claims.event_name, "push, workflow_dispatch", "a list is Infisical's comma list");
    assert.ok(resources(json, "infisical_identity").every((identity) => identity.role === "no-access"));
  });

  it("limits each role to the granted environment and folders", () => {
    const roles = Object.fromEntries(resources(json, "infisical_project_role").map((role) => [role.slug, role.permissions_v2]));
    assert.deepEqual(roles["keybridge-ml-training-ci-prod"][0], {
      subject: "secrets", action: ["describeSecret", "readValue"], conditions: '{"environment":{"$eq":"prod"},"secretPath":{"$eq":"/database"}}',
    });
    assert.equal(roles["keybridge-ml-training-ci-dev"][0].conditions, '{"environment":{"$eq":"dev"},"secretPath":{"$glob":"/api/**"}}');
    assert.deepEqual(roles["keybridge-ml-training-admins"][0].action, ["create", "delete", "describeSecret", "edit", "readValue"]);
    assert.equal(roles["keybridge-ml-training-admins"][0].conditions, "{}");
  });

  it("binds the SSO group's project membership to its role", () => {
    const [group] = resources(json, "infisical_project_group");
    assert.equal(group!.group_name, "ml-admins");
    assert.match(group!.roles[0].role_slug, /infisical_project_role\..*\.slug/);
  });

  it("writes the same policy document as the Vault target, but for the backend", () => {
    let vaultPolicy = "";
    synthScope((stack) => void (vaultPolicy = JSON.stringify(declare(stack, VaultBackend.kvV2()).toPolicyDocument())));
    const strip = (text: string) => ({ ...JSON.parse(text), backend: undefined });
    assert.deepEqual(strip(policy), strip(vaultPolicy));
    assert.deepEqual(JSON.parse(policy).backend, { type: "infisical", url: "https://secrets.acme.internal" });
  });

  it("fails at once on an organization id that is not one", () => {
    assert.throws(() => InfisicalBackend.project({ organizationId: "acme corp" }), /organizationId "acme corp" is not an Infisical organization id/);
  });
});
