// hvac (Debian's python3-hvac 0.11, not written here) against the dev backend: a Python process
// creates an AppRole role and a secret ID as root, logs in as the machine with
// client.auth.approle.login, reads database credentials, renews their lease with
// client.sys.renew_lease, looks it up and revokes it, as a long job's helper would.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { startTestBackend, type TestBackend } from "../support/dev-backend.ts";
import { runPython } from "../support/python-client.ts";
import { appRole, configureAppRoleLeases } from "../support/approle-leases.ts";

const script = fileURLToPath(new URL("./hvac_approle_client.py", import.meta.url));
let test: TestBackend;

before(async () => {
  test = await startTestBackend();
  await configureAppRoleLeases(test);
});

after(() => test.close());

describe("hvac 0.11 with AppRole and leases", () => {
  it("creates a role, logs in with approle.login, and renews, looks up and revokes a database lease", async () => {
    const result = await runPython(script, { addr: test.addr, root_token: test.rootToken, role: "hvac-machine", db_role: appRole.dbRole });
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.secret_id_num_uses, 3);
    assert.deepEqual(report.wrong_secret_id, { kind: "InvalidRequest", errors: ["invalid role or secret ID"] });
    assert.deepEqual(report.login_policies, ["db-train", "default"]);
    assert.deepEqual(report.login_metadata, { role_name: "hvac-machine" });
    assert.equal(report.adopted_token, true);
    assert.equal(report.lease_prefix, `database/creds/${appRole.dbRole}`);
    assert.equal(report.lease_duration, 60);
    assert.equal(report.username_prefix, `v-${appRole.dbRole}-`);
    assert.deepEqual(report.renewed, [true, 120, true]);
    assert.equal(report.renewed_default, 60);
    assert.deepEqual(report.lookup, [true, true, 60]);
    assert.equal(report.listed, true);
    assert.deepEqual(report.machine_revoke, { kind: "Forbidden", errors: ["1 error occurred:\n\t* permission denied\n\n"] });
    assert.equal(report.revoke_status, 204);
    assert.deepEqual(report.after_revoke, { kind: "InvalidRequest", errors: ["invalid lease"] });
    assert.deepEqual(report.renew_after_revoke, { kind: "InvalidRequest", errors: ["lease not found"] });
  });
});
