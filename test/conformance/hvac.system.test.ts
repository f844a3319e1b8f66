// hvac (Debian's python3-hvac 0.11, not written here) against the dev backend: a Python process
// logs in with a GitHub token from the emulator, reads and lists KV v2, checks health with HEAD,
// looks itself up and revokes itself, as a CI job would.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { startTestBackend, type TestBackend } from "../support/dev-backend.ts";
import { runPython } from "../support/python-client.ts";
import { configureDemo, demoRole, type DemoSecrets } from "../../testkit/demo-setup.ts";

const script = fileURLToPath(new URL("./hvac_client.py", import.meta.url));
const job = { repository: "acme/training", ref: "refs/heads/main", runner_environment: "self-hosted" };
let test: TestBackend;
let secrets: DemoSecrets;

before(async () => {
  test = await startTestBackend();
  secrets = await configureDemo({ addr: test.addr, token: test.rootToken });
});

after(() => test.close());

describe("hvac 0.11", () => {
  it("logs in, reads, lists, checks health, looks up and revokes its token", async () => {
    const result = await runPython(script, {
      addr: test.addr,
      role: demoRole.name,
      jwt: await test.githubToken(job, demoRole.audience),
      refused_jwt: await test.githubToken({ ...job, ref: "refs/heads/feature" }, demoRole.audience),
    });
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.health_status, 200);
    assert.deepEqual(report.refused_login, {
      kind: "InvalidRequest",
      errors: ['error validating claims: claim "ref" does not match any associated bound claim values'],
    });
    assert.deepEqual(report.login_policies, ["default", "ml-training-prod-read"]);
    assert.deepEqual(report.login_metadata, { role: demoRole.name });
    assert.equal(report.adopted_token, true);
    assert.equal(report.authenticated, true);
    assert.deepEqual(report.secret_data, secrets.database);
    assert.equal(report.secret_version, 1);
    assert.deepEqual(report.listed_keys, ["api", "database"]);
    assert.deepEqual(report.forbidden_read, { kind: "Forbidden", errors: ["1 error occurred:\n\t* permission denied\n\n"] });
    assert.deepEqual(report.lookup_self_policies, ["default", "ml-training-prod-read"]);
    assert.equal(report.revoke_status, 204);
    assert.deepEqual(report.after_revoke, { kind: "Forbidden", errors: ["permission denied"] });
  });
});
