// The organization's audit logs and the identity-auth revocation the drill uses, in-process with a
// test clock: rows in Infisical's listed shape for secret reads, the filters (project,
// environment, folder, key, event types, actor, date range), newest first with offset and limit,
// the admin-only rule, and DELETE of an identity's OIDC or universal auth (its tokens 401 at once,
// no new login) with GET saying whether a method is attached. Then `keybridge incident` in-process
// with universal auth as the admin: its login token is revoked when the drill ends.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ciIdentity, ref, startInfisicalBackend, type InfisicalTestBackend } from "../../support/infisical-backend.ts";
import { shopAuth, shopClaims, shopDocument, shopValues } from "../../support/infisical-shop.ts";
import { incidentCommand } from "../../../bin/incident/incident-command.ts";

const readProd = [{ action: ["describeSecret", "readValue"], conditions: { environment: { $eq: "prod" } } }];

function document() {
  const admin = ciIdentity("org_admin", "shop", shopAuth, []);
  admin.infisical_identity!.org_admin!.role = "admin";
  const doc = shopDocument([ciIdentity("reader", "shop", shopAuth, readProd), ciIdentity("bystander", "shop", shopAuth, readProd), admin], {
    infisical_identity_universal_auth: { admin: { identity_id: ref("infisical_identity.org_admin", "id") } },
    infisical_identity_universal_auth_client_secret: { admin: { identity_id: ref("infisical_identity.org_admin", "id"), depends_on: ["infisical_identity_universal_auth.admin"] } },
  });
  return {
    ...doc,
    output: {
      ...doc.output,
      admin_client_id: { value: ref("infisical_identity_universal_auth_client_secret.admin", "client_id") },
      admin_client_secret: { value: ref("infisical_identity_universal_auth_client_secret.admin", "client_secret"), sensitive: true },
    },
  };
}

let backend: InfisicalTestBackend;
let work: string;
let adminToken: string;
const id = (name: string): string => backend.outputs[name];

const listAudit = (query: Record<string, string>, token = adminToken) => backend.call("GET", "/api/v1/organization/audit-logs", { token, query });
const readDb = (token: string) => backend.call("GET", "/api/v3/secrets/raw", { token, query: { workspaceSlug: "shop", environment: "prod", secretPath: "/app/db" } });
const readKey = (token: string, key: string) => backend.call("GET", `/api/v3/secrets/raw/${key}`, { token, query: { workspaceSlug: "shop", environment: "prod", secretPath: "/app/db" } });

before(async () => {
  work = await mkdtemp(join(tmpdir(), "kb-inf-audit-logs-"));
  backend = await startInfisicalBackend(document(), { infisicalRateLimit: 0 });
  adminToken = await backend.tokenFor(id("org_admin"), shopClaims, "https://github.com/acme");
});

after(async () => {
  await backend?.close();
  await rm(work, { recursive: true, force: true });
});

describe("GET /api/v1/organization/audit-logs", () => {
  it("lists a read as Infisical's row: event and actor nested, request address and agent, project", async () => {
    const reader = await backend.tokenFor(id("reader"), shopClaims, "https://github.com/acme");
    assert.equal((await readKey(reader, "PASSWORD")).status, 200);
    const reply = await listAudit({ projectId: id("project_id"), eventType: "get-secret", secretKey: "PASSWORD" });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const [row] = reply.body.auditLogs;
    assert.deepEqual(row.event, { type: "get-secret", metadata: { environment: "prod", secretPath: "/app/db", secretKey: "PASSWORD", secretId: row.event.metadata.secretId, secretVersion: 1 } });
    assert.deepEqual(row.actor, { type: "identity", metadata: { identityId: id("reader"), name: "reader" } });
    assert.equal(row.projectId, id("project_id"));
    assert.equal(row.projectName, "Shop");
    assert.equal(row.ipAddress, "127.0.0.1");
    assert.equal(row.userAgentType, "other");
    assert.ok(!JSON.stringify(reply.body).includes(shopValues.dbPassword), "a row never holds a value");
  });

  it("filters by folder, event types and actor, newest first, with offset and limit", async () => {
    backend.test.clock.advance(1);
    const reader = await backend.tokenFor(id("reader"), shopClaims, "https://github.com/acme");
    for (let read = 0; read < 3; read++) {
      backend.test.clock.advance(1);
      assert.equal((await readDb(reader)).status, 200);
    }
    const query = { projectId: id("project_id"), environment: "prod", secretPath: "/app/db/", eventType: "get-secret,get-secrets", actor: id("reader") };
    const all = (await listAudit({ ...query, limit: "100" })).body.auditLogs;
    assert.deepEqual(all.map((row: any) => row.event.type), ["get-secrets", "get-secrets", "get-secrets", "get-secret"]);
    const times = all.map((row: any) => row.createdAt);
    assert.deepEqual([...times].sort().reverse(), times, "newest first");
    const page = (await listAudit({ ...query, offset: "1", limit: "2" })).body.auditLogs;
    assert.deepEqual(page.map((row: any) => row.id), all.slice(1, 3).map((row: any) => row.id));
    assert.equal((await listAudit({ ...query, actor: id("bystander") })).body.auditLogs.length, 0);
    assert.equal((await listAudit({ ...query, environment: "dev" })).body.auditLogs.length, 0);
  });

  it("takes a date range, refusing an end before the start, more than 3 months, and a limit over 1000", async () => {
    const later = new Date(Date.now() + 86_400_000 * 400).toISOString();
    assert.equal((await listAudit({ eventType: "get-secrets", startDate: later, endDate: new Date(Date.parse(later) + 1000).toISOString() })).body.auditLogs.length, 0);
    assert.equal((await listAudit({ startDate: later, endDate: new Date(0).toISOString() })).status, 400);
    assert.equal((await listAudit({ startDate: new Date(0).toISOString(), endDate: later })).status, 400);
    assert.equal((await listAudit({ limit: "1001" })).status, 422);
  });

  it("is refused to an identity that is not an organization admin", async () => {
    const reader = await backend.tokenFor(id("reader"), shopClaims, "https://github.com/acme");
    const reply = await listAudit({}, reader);
    assert.equal(reply.status, 403);
    assert.equal(reply.body.error, "PermissionDenied");
    assert.equal((await listAudit({}, "not-a-token")).status, 401);
  });
});

describe("revoking an identity's auth", () => {
  it("DELETE oidc-auth invalidates every token of the identity at once (401) and refuses new logins", async () => {
    const first = await backend.tokenFor(id("bystander"), shopClaims, "https://github.com/acme");
    const second = await backend.tokenFor(id("bystander"), shopClaims, "https://github.com/acme");
    const path = `/api/v1/auth/oidc-auth/identities/${id("bystander")}`;
    assert.equal((await backend.call("GET", path, { token: adminToken })).status, 200);
    const kubernetes = `/api/v1/auth/kubernetes-auth/identities/${id("bystander")}`;
    assert.equal((await backend.call("GET", kubernetes, { token: adminToken })).status, 400, "no Kubernetes auth attached");
    assert.equal((await backend.call("DELETE", kubernetes, { token: adminToken })).status, 400);
    const reader = await backend.tokenFor(id("reader"), shopClaims, "https://github.com/acme");
    assert.equal((await backend.call("DELETE", path, { token: reader })).status, 403, "only an admin may");
    const reply = await backend.call("DELETE", path, { token: adminToken });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal(reply.body.identityOidcAuth.identityId, id("bystander"));
    for (const token of [first, second]) assert.equal((await readDb(token)).status, 401);
    assert.equal((await backend.login(id("bystander"), shopClaims, "https://github.com/acme")).status, 404);
    assert.equal((await backend.call("GET", path, { token: adminToken })).status, 400, "no OIDC auth attached any more");
    assert.equal((await backend.call("DELETE", path, { token: adminToken })).status, 400);
    assert.equal((await readDb(reader)).status, 200, "another identity keeps its token");
  });
});

describe("keybridge incident with universal auth as the admin", () => {
  it("finds the reader, cuts it off, and revokes its own login token at the end", async () => {
    const reader = await backend.tokenFor(id("reader"), shopClaims, "https://github.com/acme");
    const report = join(work, "report");
    let out = "";
    const env = { INFISICAL_URL: backend.addr, INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET: backend.outputs.admin_client_secret };
    const code = await incidentCommand(
      ["--backend", "infisical", "--path", "shop/prod/app/db/PASSWORD", "--project-id", id("project_id"), "--client-id", backend.outputs.admin_client_id, "--report", report],
      env,
      (text) => {
        out += text;
        return true;
      },
      () => backend.test.clock.ms,
    );
    assert.equal(code, 0);
    assert.match(out, /cut off 1 identity/);
    const json = JSON.parse(await readFile(join(report, "incident.json"), "utf8"));
    const found = json.readers.map((entry: any) => [entry.name, entry.action]);
    assert.deepEqual(found, [["reader", "revoked"]], "the bystander's reads were all refused: it never read the secret");
    assert.equal((await readDb(reader)).status, 401);
    const logins = (await listAudit({ eventType: "login-identity-universal-auth", limit: "10" })).body.auditLogs;
    assert.equal(logins.length, 1, "the drill logged in once");
    const revokes = (await listAudit({ eventType: "revoke-identity-access-token", actor: id("org_admin"), limit: "10" })).body.auditLogs;
    assert.equal(revokes.length, 1, "and revoked that token when it was done");
    const text = out + (await readFile(join(report, "incident.md"), "utf8")) + JSON.stringify(json);
    for (const value of [shopValues.dbPassword, backend.outputs.admin_client_secret, reader, adminToken]) assert.ok(!text.includes(value));
  });
});
