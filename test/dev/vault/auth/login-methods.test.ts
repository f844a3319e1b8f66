// keybridge dev's userpass, LDAP, Kubernetes and GitHub auth methods: what Vault's would answer,
// refusals in Vault's words, credentials never stored or shown as given, and dev's own token
// minting for root only.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { expectOk, startTestBackend, type TestBackend } from "../../../support/dev-backend.ts";

let test: TestBackend;
const readPolicy = 'path "secret/data/*" { capabilities = ["read"] }';

before(async () => {
  test = await startTestBackend();
  await expectOk(test.vault("PUT", "sys/policy/reader", { body: { policy: readPolicy } }));
  for (const type of ["userpass", "ldap", "kubernetes", "github"]) await expectOk(test.vault("POST", `sys/auth/${type}`, { body: { type } }));
});

after(() => test.close());

const login = (path: string, body: unknown) => test.vault("POST", `auth/${path}`, { token: "", body });

describe("userpass", () => {
  it("logs a user in with the user's token settings, and never shows the password", async () => {
    await expectOk(test.vault("POST", "auth/userpass/users/Deployer", { body: { password: "pw-1", token_policies: "reader", token_ttl: "10m" } }));
    const reply = await expectOk(login("userpass/login/deployer", { password: "pw-1" }));
    assert.deepEqual(reply.body.auth.policies, ["default", "reader"]);
    assert.equal(reply.body.auth.lease_duration, 600);
    assert.equal(reply.body.auth.metadata.username, "deployer");
    const user = await expectOk(test.vault("GET", "auth/userpass/users/deployer"));
    assert.ok(!JSON.stringify(user.body).includes("pw-1"));
  });

  it("refuses a wrong password or an unknown user alike, as Vault does", async () => {
    for (const [user, password] of [["deployer", "wrong"], ["nobody", "pw-1"]]) {
      const reply = await login(`userpass/login/${user}`, { password });
      assert.equal(reply.status, 400);
      assert.deepEqual(reply.body.errors, ["invalid username or password"]);
    }
  });

  it("refuses a new user without a password", async () => {
    const reply = await test.vault("POST", "auth/userpass/users/empty", { body: { token_policies: "reader" } });
    assert.equal(reply.status, 400);
  });
});

describe("LDAP (users declared with a password: dev has no directory)", () => {
  it("gives the policies of the user's groups", async () => {
    await expectOk(test.vault("POST", "auth/ldap/groups/readers", { body: { policies: "reader" } }));
    await expectOk(test.vault("POST", "auth/ldap/users/alice", { body: { password: "ldap-pw", groups: "readers" } }));
    const reply = await expectOk(login("ldap/login/alice", { password: "ldap-pw" }));
    assert.deepEqual(reply.body.auth.policies, ["default", "reader"]);
    const refused = await login("ldap/login/alice", { password: "nope" });
    assert.equal(refused.status, 400);
    assert.match(refused.body.errors[0], /failed to bind as user/);
  });
});

describe("Kubernetes", () => {
  before(async () => {
    await expectOk(test.vault("POST", "auth/kubernetes/config", { body: { kubernetes_host: "https://kubernetes.default.svc" } }));
    await expectOk(test.vault("POST", "auth/kubernetes/role/app", {
      body: { bound_service_account_names: "app", bound_service_account_namespaces: "ci", audience: "vault", token_policies: "reader" },
    }));
  });

  const mint = async (body: Record<string, unknown>) => (await expectOk(test.vault("POST", "auth/kubernetes/service-account-token", { body }))).body.data.token as string;

  it("logs in a service account bound to the role, with Vault's metadata", async () => {
    const jwt = await mint({ namespace: "ci", service_account_name: "app", audience: "vault" });
    const reply = await expectOk(login("kubernetes/login", { role: "app", jwt }));
    assert.deepEqual(reply.body.auth.policies, ["default", "reader"]);
    assert.equal(reply.body.auth.metadata.service_account_namespace, "ci");
    assert.equal(reply.body.auth.metadata.service_account_name, "app");
  });

  it("refuses another namespace, another name, another audience and an expired token", async () => {
    const cases: Array<[Record<string, unknown>, number, RegExp]> = [
      [{ namespace: "prod", service_account_name: "app", audience: "vault" }, 403, /namespace not authorized/],
      [{ namespace: "ci", service_account_name: "other", audience: "vault" }, 403, /service account name not authorized/],
      [{ namespace: "ci", service_account_name: "app", audience: "elsewhere" }, 403, /permission denied/],
    ];
    for (const [claims, status, message] of cases) {
      const reply = await login("kubernetes/login", { role: "app", jwt: await mint(claims) });
      assert.equal(reply.status, status, JSON.stringify(claims));
      assert.match(reply.body.errors.join(" "), message);
    }
    const shortLived = await mint({ namespace: "ci", service_account_name: "app", audience: "vault", ttl: 60 });
    test.clock.advance(120);
    assert.equal((await login("kubernetes/login", { role: "app", jwt: shortLived })).status, 403);
  });

  it("refuses an unknown role and a token it did not mint", async () => {
    const jwt = await mint({ namespace: "ci", service_account_name: "app", audience: "vault" });
    assert.deepEqual((await login("kubernetes/login", { role: "nope", jwt })).body.errors, ['invalid role name "nope"']);
    const forged = `${jwt.split(".").slice(0, 2).join(".")}.AAAA`;
    assert.equal((await login("kubernetes/login", { role: "app", jwt: forged })).status, 403);
  });
});

describe("GitHub", () => {
  before(async () => {
    await expectOk(test.vault("POST", "auth/github/config", { body: { organization: "acme" } }));
    await expectOk(test.vault("POST", "auth/github/map/teams/platform", { body: { value: "reader" } }));
  });

  it("maps the token's user and teams to policies", async () => {
    const { token } = (await expectOk(test.vault("POST", "auth/github/dev-token", { body: { user: "octocat", teams: "Platform" } }))).body.data;
    const reply = await expectOk(login("github/login", { token }));
    assert.deepEqual(reply.body.auth.policies, ["default", "reader"]);
    assert.deepEqual(reply.body.auth.metadata, { org: "acme", username: "octocat" });
  });

  it("refuses an unknown token and a member of another organization", async () => {
    assert.match((await login("github/login", { token: "ghp_unknown" })).body.errors[0], /Bad credentials/);
    const { token } = (await expectOk(test.vault("POST", "auth/github/dev-token", { body: { user: "mallory", organization: "evil" } }))).body.data;
    assert.deepEqual((await login("github/login", { token })).body.errors, ["user is not part of required org"]);
  });

  it("mints tokens for root only (sudo)", async () => {
    const user = (await expectOk(login("userpass/login/deployer", { password: "pw-1" }))).body.auth.client_token;
    assert.equal((await test.vault("POST", "auth/github/dev-token", { token: user, body: { user: "x" } })).status, 403);
  });
});
