// identity/group and identity/group-alias through the HTTP API: create and update by name, read
// by id and by name, list with key_info, Vault's refusals, the ACL, and mount accessors in sys/auth.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { configureGithubJwt, expectOk, startTestBackend, type TestBackend } from "../../../support/dev-backend.ts";

let test: TestBackend;
let ssoAccessor: string;

before(async () => {
  test = await startTestBackend();
  await expectOk(test.vault("POST", "sys/auth/oidc", { body: { type: "oidc" } }));
  ssoAccessor = (await test.vault("GET", "sys/auth")).body.data["oidc/"].accessor;
});

after(async () => {
  await test.close();
});

describe("identity groups", () => {
  it("creates a group, answers its id and name, and reads it by id and by name", async () => {
    const created = await expectOk(test.vault("POST", "identity/group", { body: { name: "admins", type: "external", policies: "Admin,ops", metadata: { team: "ml" } } }));
    assert.equal(created.status, 200);
    const { id, name } = created.body.data;
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.equal(name, "admins");

    const byId = (await test.vault("GET", `identity/group/id/${id}`)).body.data;
    assert.deepEqual(
      { ...byId, creation_time: "", last_update_time: "" },
      {
        alias: {},
        creation_time: "",
        id,
        last_update_time: "",
        member_entity_ids: [],
        member_group_ids: null,
        metadata: { team: "ml" },
        modify_index: 1,
        name: "admins",
        namespace_id: "root",
        parent_group_ids: null,
        policies: ["admin", "ops"],
        type: "external",
      },
    );
    assert.deepEqual((await test.vault("GET", "identity/group/name/admins")).body.data, byId);
  });

  it("updates a group written again by name (204) and keeps its id", async () => {
    const before = (await test.vault("GET", "identity/group/name/admins")).body.data;
    const again = await test.vault("POST", "identity/group", { body: { name: "admins", policies: ["admin"] } });
    assert.equal(again.status, 204);
    const after = (await test.vault("GET", "identity/group/name/admins")).body.data;
    assert.equal(after.id, before.id);
    assert.deepEqual(after.policies, ["admin"]);
    assert.equal(after.modify_index, 2);
  });

  it("generates a name when none is given and lists groups by id and by name", async () => {
    const created = await expectOk(test.vault("POST", "identity/group", { body: { policies: ["ops"] } }));
    assert.equal(created.body.data.name, `group_${created.body.data.id}`);
    const byId = (await test.vault("LIST", "identity/group/id")).body.data;
    assert.ok(byId.keys.includes(created.body.data.id));
    assert.deepEqual(byId.key_info[created.body.data.id], { name: created.body.data.name, num_member_entities: 0, num_parent_groups: 0 });
    const byName = (await test.vault("LIST", "identity/group/name")).body.data;
    assert.ok(byName.keys.includes("admins"));
  });

  it("refuses what Vault refuses", async () => {
    const cases: [unknown, string][] = [
      [{ name: "admins", type: "internal" }, "group type cannot be changed"],
      [{ name: "odd", type: "team" }, 'invalid group type "team"'],
      [{ name: "ext", type: "external", member_entity_ids: ["e1"] }, "member entities can't be set manually for external groups"],
      [{ name: "nested", member_group_ids: ["no-such-group"] }, 'invalid member group ID "no-such-group"'],
    ];
    for (const [body, message] of cases) {
      const reply = await test.vault("POST", "identity/group", { body });
      assert.equal(reply.status, 400);
      assert.deepEqual(reply.body.errors, [message]);
    }
  });

  it("answers 404 for a group that does not exist", async () => {
    assert.equal((await test.vault("GET", "identity/group/name/nobody")).status, 404);
  });
});

describe("identity group aliases", () => {
  it("ties an external group to a name on an auth mount", async () => {
    const group = (await test.vault("GET", "identity/group/name/admins")).body.data;
    const created = await expectOk(
      test.vault("POST", "identity/group-alias", { body: { name: "okta:admins", mount_accessor: ssoAccessor, canonical_id: group.id } }),
    );
    const { id, canonical_id } = created.body.data;
    assert.equal(canonical_id, group.id);
    const alias = (await test.vault("GET", `identity/group-alias/id/${id}`)).body.data;
    assert.equal(alias.name, "okta:admins");
    assert.equal(alias.mount_accessor, ssoAccessor);
    assert.equal(alias.mount_path, "auth/oidc/");
    assert.equal(alias.mount_type, "oidc");
    assert.equal((await test.vault("GET", "identity/group/name/admins")).body.data.alias.id, id);
    const listed = (await test.vault("LIST", "identity/group-alias/id")).body.data;
    assert.deepEqual(listed.key_info[id], { canonical_id: group.id, mount_accessor: ssoAccessor, mount_path: "auth/oidc/", mount_type: "oidc", name: "okta:admins" });
  });

  it("refuses what Vault refuses", async () => {
    const external = (await test.vault("GET", "identity/group/name/admins")).body.data.id;
    const internal = (await expectOk(test.vault("POST", "identity/group", { body: { name: "inside" } }))).body.data.id;
    const other = (await expectOk(test.vault("POST", "identity/group", { body: { name: "other-ext", type: "external" } }))).body.data.id;
    const secretAccessor = (await test.vault("GET", "sys/mounts")).body.data["secret/"].accessor;
    const cases: [unknown, string][] = [
      [{ mount_accessor: ssoAccessor, canonical_id: external }, "missing alias name"],
      [{ name: "x", canonical_id: external }, "missing mount_accessor"],
      [{ name: "x", mount_accessor: "auth_oidc_00000000", canonical_id: external }, 'invalid mount accessor "auth_oidc_00000000"'],
      [{ name: "x", mount_accessor: secretAccessor, canonical_id: external }, `invalid mount accessor "${secretAccessor}"`],
      [{ name: "x", mount_accessor: ssoAccessor, canonical_id: "nope" }, "invalid group ID given in 'canonical_id'"],
      [{ name: "x", mount_accessor: ssoAccessor, canonical_id: internal }, "alias can't be set on an internal group"],
      [{ name: "x", mount_accessor: ssoAccessor, canonical_id: external }, "group already has an alias"],
      [{ name: "okta:admins", mount_accessor: ssoAccessor, canonical_id: other }, "combination of mount and group alias name is already in use"],
    ];
    for (const [body, message] of cases) {
      const reply = await test.vault("POST", "identity/group-alias", { body });
      assert.equal(reply.status, 400, message);
      assert.deepEqual(reply.body.errors, [message]);
    }
  });

  it("deleting a group deletes its alias", async () => {
    const group = (await test.vault("GET", "identity/group/name/admins")).body.data;
    assert.equal((await test.vault("DELETE", "identity/group/name/admins")).status, 204);
    assert.equal((await test.vault("GET", `identity/group-alias/id/${group.alias.id}`)).status, 404);
  });
});

describe("identity ACL and accessors", () => {
  it("checks identity/ paths against the token's policies", async () => {
    await configureGithubJwt(test);
    await expectOk(
      test.vault("POST", "auth/jwt/role/ci", {
        body: { role_type: "jwt", user_claim: "repository", bound_audiences: "https://github.com/acme", bound_claims: { repository: "acme/app" } },
      }),
    );
    const jwt = await test.githubToken({ repository: "acme/app" }, "https://github.com/acme");
    const token = (await expectOk(test.vault("POST", "auth/jwt/login", { body: { role: "ci", jwt }, headers: { "X-Vault-Token": "" } }))).body.auth.client_token;
    assert.equal((await test.vault("GET", "identity/group/name/inside", { token })).status, 403);
    assert.equal((await test.vault("POST", "identity/group", { token, body: { name: "sneaky" } })).status, 403);
  });

  it("reports an accessor in Vault's format for every auth mount, token/ included", async () => {
    const auth = (await test.vault("GET", "sys/auth")).body.data;
    assert.match(auth["token/"].accessor, /^auth_token_[0-9a-f]{8}$/);
    assert.match(auth["oidc/"].accessor, /^auth_oidc_[0-9a-f]{8}$/);
    assert.match(auth["jwt/"].accessor, /^auth_jwt_[0-9a-f]{8}$/);
  });
});
