// The Infisical rotation store against the dev backend in-process, with a second writer stepping
// in at chosen moments: a write between our read and our write is "already rotated" (nothing
// written), a write that overlaps ours is reported as a race (the last write stands), and a
// refused write is a one-line KB_ROTATE_FAILED that names no value.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { HttpClient, type HttpRequest, type HttpResponse } from "../../../client/http/http-client.ts";
import { InfisicalSecretStore } from "../../../client/rotation/infisical-store.ts";
import { rotateSecret } from "../../../client/rotation/rotate-secret.ts";
import { KeybridgeError } from "../../../policy/errors/keybridge-error.ts";
import { describeRotation } from "../../../client/rotation/outcome-lines.ts";
import { ciIdentity, startInfisicalBackend, type InfisicalTestBackend } from "../../support/infisical-backend.ts";
import { shopAuth, shopClaims, shopDocument } from "../../support/infisical-shop.ts";

const rule = { maxAgeSeconds: 1, generator: { format: "hex" as const } };
const secret = { path: "shop/prod/other", keys: ["OTHER"] };

let backend: InfisicalTestBackend;
let http: HttpClient;
let writerToken: string;
let readerToken: string;

before(async () => {
  backend = await startInfisicalBackend(shopDocument([
    ciIdentity("writer", "shop", shopAuth, [{ action: ["describeSecret", "readValue", "create", "edit"] }]),
    ciIdentity("reader", "shop", shopAuth, [{ action: ["describeSecret", "readValue"] }]),
  ]), { infisicalRateLimit: 0 });
  writerToken = await backend.tokenFor(backend.outputs.writer, shopClaims);
  readerToken = await backend.tokenFor(backend.outputs.reader, shopClaims);
  http = new HttpClient({ timeoutMs: 10_000, retries: 0 });
});

after(async () => {
  await http?.close();
  await backend?.close();
});

/** Another rotator's write of OTHER, straight through the API. */
async function otherWriter(): Promise<void> {
  const reply = await backend.call("PATCH", "/api/v3/secrets/raw/OTHER", { token: writerToken, json: { workspaceSlug: "shop", environment: "prod", secretPath: "/other", secretValue: "other-writer-value" } });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
}

/** A store whose HTTP client lets the other writer in before the request `when` picks (once). */
function storeWithInterloper(token: string, when: (request: HttpRequest, seen: number) => boolean): InfisicalSecretStore {
  let seen = 0;
  let done = false;
  const client = {
    async request(request: HttpRequest): Promise<HttpResponse> {
      seen++;
      if (!done && when(request, seen)) {
        done = true;
        await otherWriter();
      }
      return http.request(request);
    },
  } as unknown as HttpClient;
  return new InfisicalSecretStore(client, { url: new URL(backend.addr), token });
}

async function currentVersion(): Promise<number> {
  const store = new InfisicalSecretStore(http, { url: new URL(backend.addr), token: readerToken });
  return (await store.versions(secret.path))!.currentVersion;
}

describe("the Infisical rotation store", () => {
  it("says already rotated, and writes nothing, when another rotator wrote after its read", async () => {
    const before = await currentVersion();
    // The second request is the re-read right before writing.
    const store = storeWithInterloper(writerToken, (_request, seen) => seen === 2);
    const outcome = await rotateSecret(store, secret, rule, { force: true });
    assert.deepEqual(outcome, { kind: "already-rotated", path: secret.path, from: before });
    assert.equal(await currentVersion(), before + 1, "only the other writer's version");
  });

  it("reports a race when another rotator's write overlapped its own: the last write stands", async () => {
    const before = await currentVersion();
    const store = storeWithInterloper(writerToken, (request) => request.method === "PATCH");
    const outcome = await rotateSecret(store, secret, rule, { force: true });
    assert.deepEqual(outcome, { kind: "rotated", path: secret.path, from: before, to: before + 2, raced: true });
    assert.match(describeRotation(outcome), /^rotated shop\/prod\/other \(v\d+ → v\d+\), but another rotator wrote too: the last write stands$/);
  });

  it("refuses with one KB_ROTATE_FAILED line when the identity may not edit, naming no value", async () => {
    const store = new InfisicalSecretStore(http, { url: new URL(backend.addr), token: readerToken });
    await assert.rejects(rotateSecret(store, secret, rule, { force: true }), (error: KeybridgeError) => {
      assert.equal(error.code, "KB_ROTATE_FAILED");
      assert.match(error.message, /^Infisical: updating OTHER in shop\/prod:\/other: HTTP 403: You are not allowed to edit on secrets .*; the identity's project role must allow/);
      assert.ok(!error.message.includes("\n"));
      assert.ok(!error.message.includes("other-writer-value"));
      return true;
    });
  });
});
