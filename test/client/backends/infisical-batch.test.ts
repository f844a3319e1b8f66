// The Infisical backend reads folders that share a root in one recursive request, and gives the
// same reads as one request per folder; where it cannot (imports, recursive, no shared root, a
// folder the recursive answer does not show) the per-folder reads decide, failures included.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { HttpClient, type HttpRequest, type HttpResponse } from "../../../client/http/http-client.ts";
import { InfisicalBackend, commonRoot } from "../../../client/backends/infisical.ts";
import { readSecrets } from "../../../client/read-secrets.ts";
import type { Session } from "../../../client/backends/backend.ts";
import { parseSecretsSpec } from "../../../client/secrets-spec.ts";
import { ciIdentity, startInfisicalBackend, type InfisicalTestBackend } from "../../support/infisical-backend.ts";
import { shopAuth, shopClaims, shopDocument, shopValues } from "../../support/infisical-shop.ts";

const read = ["describeSecret", "readValue"];
let backend: InfisicalTestBackend;
const sessions: Record<string, Session> = {};

/** An HttpClient that remembers the folders it asked for, and whether recursively. */
class CountingClient extends HttpClient {
  readonly asked: string[] = [];
  override async request(request: HttpRequest): Promise<HttpResponse> {
    if (request.url.pathname.includes("/secrets")) {
      this.asked.push(`${request.url.searchParams.get("secretPath")}${request.url.searchParams.get("recursive") === "true" ? " (recursive)" : ""}`);
    }
    return super.request(request);
  }
}

before(async () => {
  backend = await startInfisicalBackend(
    shopDocument([
      ciIdentity("app_reader", "shop", shopAuth, [{ action: read, conditions: { environment: { $eq: "prod" }, secretPath: { $glob: "/app/**" } } }]),
      ciIdentity("prod_reader", "shop", shopAuth, [{ action: read, conditions: { environment: { $eq: "prod" } } }]),
      ciIdentity("app_only", "shop", shopAuth, [{ action: read, conditions: { environment: { $eq: "prod" }, secretPath: { $eq: "/app" } } }]),
    ]),
    { infisicalRateLimit: 0 },
  );
  for (const name of ["app_reader", "prod_reader", "app_only"]) {
    sessions[name] = { token: await backend.tokenFor(backend.outputs[name], shopClaims), ttlSeconds: 600, policies: [], renewable: false, owned: true };
  }
});

after(() => backend?.close());

async function readWith(identity: string, spec: string, scope: { includeImports?: boolean; recursive?: boolean } = {}) {
  const http = new CountingClient({ timeoutMs: 5_000, retries: 0 });
  const infisical = new InfisicalBackend(http, {
    url: new URL(backend.addr), identityId: undefined, project: "shop", environment: "prod",
    recursive: scope.recursive ?? false, includeImports: scope.includeImports ?? false, expandReferences: false,
  });
  try {
    const outcome = await readSecrets(infisical, sessions[identity]!, parseSecretsSpec(spec), { ignoreNotFound: false, warn: () => {}, consequence: "Nothing was exported" });
    return { reads: Object.fromEntries([...outcome.reads].map(([path, value]) => [path, value.data])), asked: http.asked };
  } finally {
    await http.close();
  }
}

describe("Infisical folders under one root", () => {
  it("finds the deepest shared folder", () => {
    assert.equal(commonRoot(["/app", "/app/db"]), "/app");
    assert.equal(commonRoot(["/apps/web", "/apps/api"]), "/apps");
    assert.equal(commonRoot(["/app/db", "/shared"]), "/");
    assert.equal(commonRoot(["/app"]), "/app");
  });

  it("reads them in one recursive request, with the same values as one request per folder", async () => {
    const batched = await readWith("app_reader", "/app/db *\n/app API_URL");
    assert.deepEqual(batched.asked, ["/app (recursive)"]);
    assert.equal(batched.reads["app/db"]!.HOST, shopValues.dbHost);
    assert.equal(batched.reads["app/db"]!.PASSWORD, shopValues.dbPassword);
    assert.equal(batched.reads["app"]!.API_URL, shopValues.apiUrl);
    assert.equal(batched.reads["app"]!.HOST, undefined, "a subfolder's keys stay in the subfolder");
    const single = await readWith("app_reader", "/app/db *\n/app API_URL", { includeImports: true });
    assert.deepEqual(single.asked.sort(), ["/app", "/app/db"], "with imports, one request per folder");
    assert.deepEqual(batched.reads["app/db"], single.reads["app/db"]);
  });

  it("reads folders without a shared root below / one by one", async () => {
    const { asked, reads } = await readWith("prod_reader", "/app/db *\n/shared SHARED");
    assert.deepEqual(asked.sort(), ["/app/db", "/shared"]);
    assert.equal(reads.shared!.SHARED, shopValues.shared);
  });

  it("leaves a folder the recursive answer does not show to its own read, which names the refusal", async () => {
    await assert.rejects(readWith("app_only", "/app/db *\n/app API_URL"), (error: Error) => {
      assert.match(error.message, /\/app\/db: permission denied \(HTTP 403\)/);
      assert.match(error.message, /1 of 2 paths could not be read/);
      return true;
    });
  });
});
