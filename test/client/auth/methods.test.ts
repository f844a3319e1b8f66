import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { authMethods, logIn, loginTarget } from "../../../client/auth/methods.ts";
import type { SecretsBackend, Session } from "../../../client/backends/backend.ts";
import { InfisicalBackend } from "../../../client/backends/infisical.ts";
import { HttpClient } from "../../../client/http/http-client.ts";
import { KeybridgeError } from "../../../policy/errors/keybridge-error.ts";

let dir: string;
const http = new HttpClient({ timeoutMs: 1_000, retries: 0 });
before(() => void (dir = mkdtempSync(join(tmpdir(), "kb-auth-"))));
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await http.close();
});

/** A backend that records how it was asked to log in. */
function recordingBackend(): SecretsBackend & { calls: string[] } {
  const calls: string[] = [];
  const session = (token: string, owned: boolean): Session => ({ token, ttlSeconds: 60, policies: [], renewable: false, owned });
  return {
    calls,
    name: "Recording",
    loginWithJwt: async (jwt) => (calls.push(`jwt ${jwt}`), session("new", true)),
    useToken: async (token) => (calls.push(`token ${token}`), session(token, false)),
    read: async () => assert.fail("no reads"),
    revoke: async () => "revoked",
    renewToken: async () => assert.fail("no renewals"),
    renewLease: async () => assert.fail("no renewals"),
    revokeLease: async () => undefined,
  };
}

describe("auth methods", () => {
  it("lists each method under the name users give", () => {
    assert.deepEqual(Object.keys(authMethods).sort(), [
      "approle", "auth-payload", "github", "github-oidc", "given-token", "infisical-aws-iam", "infisical-oidc-file", "infisical-token", "infisical-universal",
      "jwt-file", "kubernetes", "ldap", "signed-jwt", "token", "userpass",
    ]);
  });

  it("puts each method's mount, role or identity into the backend target", () => {
    assert.deepEqual(loginTarget({ method: "approle", roleId: "r" }), { authPath: "approle" });
    assert.deepEqual(loginTarget({ method: "jwt-file", jwtFile: "f", role: "ci", path: "k8s" }), { role: "ci", authPath: "k8s" });
    assert.deepEqual(loginTarget({ method: "infisical-oidc-file", jwtFile: "f", identityId: "id" }), { identityId: "id" });
    assert.deepEqual(loginTarget({ method: "infisical-aws-iam", identityId: "id" }), { identityId: "id" });
    assert.deepEqual(loginTarget({ method: "token" }), {});
  });

  it("sends a workload's token file to the JWT login, trimmed, and tells the caller the credential", async () => {
    const file = join(dir, "token");
    writeFileSync(file, "e30.e30.sig\n");
    const backend = recordingBackend();
    const credentials: string[] = [];
    await logIn(backend, { method: "jwt-file", jwtFile: file }, { http, env: {}, onCredential: (value) => credentials.push(value) });
    assert.deepEqual(backend.calls, ["jwt e30.e30.sig"]);
    assert.deepEqual(credentials, ["e30.e30.sig"]);
  });

  it("finds a Vault token where the Vault CLI leaves it, and an Infisical token in INFISICAL_TOKEN", async () => {
    const backend = recordingBackend();
    await logIn(backend, { method: "token" }, { http, env: { BAO_TOKEN: "s.bao" } });
    await logIn(backend, { method: "infisical-token" }, { http, env: { INFISICAL_TOKEN: "st.inf" } });
    assert.deepEqual(backend.calls, ["token s.bao", "token st.inf"]);
  });

  it("fails with the fix when a credential is missing, without calling the backend", async () => {
    const backend = recordingBackend();
    await assert.rejects(logIn(backend, { method: "infisical-token" }, { http, env: {} }), /no Infisical token: set INFISICAL_TOKEN/);
    await assert.rejects(logIn(backend, { method: "jwt-file", jwtFile: join(dir, "missing") }, { http, env: {} }), /the OIDC token file \S+missing does not exist/);
    assert.deepEqual(backend.calls, []);
  });

  it("refuses AppRole against Infisical", async () => {
    const infisical = new InfisicalBackend(http, { url: new URL("http://127.0.0.1:1"), identityId: undefined, project: "p", environment: "e", recursive: false, includeImports: false, expandReferences: false });
    await assert.rejects(logIn(infisical, { method: "approle", roleId: "r" }, { http, env: {} }), (error: unknown) =>
      error instanceof KeybridgeError && error.code === "KB_INPUT_INVALID" && /AppRole is a Vault\/OpenBao method/.test(error.message));
  });
});

describe("issue 14's methods in the registry", () => {
  it("put their mount (the method's name unless given) and role into the backend target", () => {
    assert.deepEqual(loginTarget({ method: "kubernetes", role: "app" }), { authPath: "kubernetes" });
    assert.deepEqual(loginTarget({ method: "userpass", username: "u" }), { authPath: "userpass" });
    assert.deepEqual(loginTarget({ method: "ldap", username: "u", path: "corp-ldap" }), { authPath: "corp-ldap" });
    assert.deepEqual(loginTarget({ method: "github" }), { authPath: "github" });
    assert.deepEqual(loginTarget({ method: "auth-payload", name: "cert", payload: {} }), { authPath: "cert" });
    assert.deepEqual(loginTarget({ method: "signed-jwt", privateKeyPem: "", passphrase: undefined, ttlSeconds: 60, role: "r", path: "jwt-signed" }), { role: "r", authPath: "jwt-signed" });
    assert.deepEqual(loginTarget({ method: "infisical-universal", clientId: "c" }), {});
  });
});
