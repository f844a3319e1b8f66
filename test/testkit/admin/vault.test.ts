// testkit's admin client against an in-process dev backend: refusals come back as replies from
// vaultCall and as VaultApiError from vaultRequest; enableOnce tolerates what is already mounted.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startDevBackend, type DevBackend } from "../../../dev/server.ts";
import { devVaultAdmin, enableOnce, vaultCall, vaultRequest, VaultApiError, writeKvSecret, type VaultAdmin } from "../../../testkit/admin/vault.ts";
import { githubToken, mintJob } from "../../../testkit/admin/oidc-jobs.ts";

let backend: DevBackend;
let admin: VaultAdmin;

before(async () => {
  backend = await startDevBackend({});
  admin = devVaultAdmin(backend.info);
});

after(() => backend.close());

describe("testkit/admin/vault.ts", () => {
  it("answers a refusal from vaultCall without throwing", async () => {
    const reply = await vaultCall(admin, "GET", "auth/token/lookup-self", { token: "hvs.not-a-token" });
    assert.equal(reply.status, 403);
    assert.ok(Array.isArray(reply.body.errors));
  });

  it("fails when vaultRequest is refused, with the method, the path and the status", async () => {
    await assert.rejects(
      () => vaultRequest({ ...admin, token: "hvs.not-a-token" }, "GET", "sys/mounts"),
      (error: unknown) => error instanceof VaultApiError && error.status === 403 && /^GET \/v1\/sys\/mounts answered 403/.test(error.message),
    );
  });

  it("enables a mount once and tolerates it being there already", async () => {
    await enableOnce(admin, "auth", "jwt", { type: "jwt" });
    await enableOnce(admin, "auth", "jwt", { type: "jwt" });
    const mounts = await vaultRequest(admin, "GET", "sys/auth");
    assert.equal(mounts.data["jwt/"].type, "jwt");
  });

  it("writes a KV v2 secret that reads back", async () => {
    await writeKvSecret(admin, "testkit/probe", { value: "probe-1" });
    const read = await vaultRequest(admin, "GET", "secret/data/testkit/probe");
    assert.deepEqual(read.data.data, { value: "probe-1" });
  });
});

describe("testkit/admin/oidc-jobs.ts", () => {
  it("mints a job and fetches its token with the audience asked for", async () => {
    const pair = await mintJob(admin, { repository: "acme/app" });
    assert.match(pair.requestUrl, /^http:\/\/127\.0\.0\.1:\d+\//);
    const jwt = await githubToken(admin, { repository: "acme/app" }, "https://github.com/acme");
    const claims = JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8"));
    assert.equal(claims.repository, "acme/app");
    assert.equal(claims.aud, "https://github.com/acme");
  });
});
