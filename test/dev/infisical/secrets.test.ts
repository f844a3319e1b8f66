// Secret reads over HTTP, in-process: v3 by slug or id and v4 by projectId, list and single;
// permissions from project roles (environment/path conditions, denies, hidden values), folders
// and `recursive`, imports and their precedence, reference expansion, string booleans (422 with
// the zod issue list) and the refusals of a bad project, environment or membership.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ciIdentity, orgId, ref, startInfisicalBackend, type ApiReply, type InfisicalTestBackend } from "../../support/infisical-backend.ts";
import { shopAuth, shopClaims, shopDocument, shopValues } from "../../support/infisical-shop.ts";

const read = ["describeSecret", "readValue"];

let backend: InfisicalTestBackend;
const tokens: Record<string, string> = {};
const warnings: string[] = [];

interface Secret {
  secretKey: string;
  secretValue: string;
  secretValueHidden: boolean;
  secretPath: string;
  [field: string]: unknown;
}

function document() {
  const doc = shopDocument(
    [
      ciIdentity("everything", "shop", shopAuth, [{ action: read }]),
      ciIdentity("app_reader", "shop", shopAuth, [{ action: read, conditions: { environment: { $eq: "prod" }, secretPath: { $glob: "/app/**" } } }]),
      ciIdentity("lister", "shop", shopAuth, [{ action: ["describeSecret"], conditions: { environment: "prod", secretPath: { $eq: "/app/db" } } }]),
      ciIdentity("deny_db", "shop", shopAuth, [
        { action: read, conditions: { environment: "prod" } },
        { action: ["readValue"], conditions: { secretPath: { $glob: "/app/db" } }, inverted: true },
      ]),
      ciIdentity("dev_only", "shop", shopAuth, [{ action: read, conditions: { environment: { $in: ["dev"] } } }]),
    ],
    {
      // An identity that can log in but is no member of the project.
      infisical_identity: { outsider: { name: "outsider", org_id: orgId, role: "member" } },
      infisical_identity_oidc_auth: {
        outsider: {
          identity_id: ref("infisical_identity.outsider", "id"),
          oidc_discovery_url: "https://token.actions.githubusercontent.com",
          bound_issuer: "https://token.actions.githubusercontent.com",
          ...shopAuth,
        },
      },
    },
  );
  return { ...doc, output: { ...doc.output, outsider: { value: ref("infisical_identity.outsider", "id") } } };
}

before(async () => {
  backend = await startInfisicalBackend(document(), { infisicalRateLimit: 0, warn: (line) => warnings.push(line) });
  for (const name of ["everything", "app_reader", "lister", "deny_db", "dev_only", "outsider"]) {
    tokens[name] = await backend.tokenFor(backend.outputs[name], shopClaims);
  }
});

after(() => backend?.close());

function list(who: string, query: Record<string, string>, version: 3 | 4 = 3): Promise<ApiReply> {
  const scope: Record<string, string> = version === 3 ? { workspaceSlug: "shop" } : { projectId: backend.outputs.project_id as string };
  return backend.call("GET", version === 3 ? "/api/v3/secrets/raw" : "/api/v4/secrets", { token: tokens[who], query: { ...scope, environment: "prod", ...query } });
}

const values = (reply: ApiReply) => Object.fromEntries((reply.body.secrets as Secret[]).map((secret) => [secret.secretKey, secret.secretValue]));

describe("listing a folder", () => {
  it("answers the folder's secrets in Infisical's shape, with metadata, values as stored", async () => {
    const reply = await list("everything", { secretPath: "/app" });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.deepEqual(Object.keys(reply.body), ["secrets"], "no imports unless include_imports=true");
    const apiUrl = (reply.body.secrets as Secret[]).find((secret) => secret.secretKey === "API_URL")!;
    assert.equal(apiUrl.secretValue, shopValues.apiUrl);
    assert.equal(apiUrl.secretValueHidden, false);
    assert.equal(apiUrl.secretPath, "/app");
    assert.equal(apiUrl.workspace, backend.outputs.project_id);
    assert.equal(apiUrl.environment, "prod");
    assert.equal(apiUrl.type, "shared");
    assert.equal(apiUrl.version, 1);
    assert.deepEqual(apiUrl.secretMetadata, [{ key: "owner", value: "team-shop" }]);
    assert.equal(values(reply).LOGIN, "${API_URL}/login", "references stay as written without expandSecretReferences");
  });

  it("reads the same through v3 by workspaceId and v4 by projectId", async () => {
    const bySlug = values(await list("everything", { secretPath: "/app" }));
    const byId = await backend.call("GET", "/api/v3/secrets/raw", { token: tokens.everything, query: { workspaceId: backend.outputs.project_id, environment: "prod", secretPath: "/app" } });
    assert.deepEqual(values(byId), bySlug);
    assert.deepEqual(values(await list("everything", { secretPath: "/app" }, 4)), bySlug);
  });

  it("finds a folder with or without its slashes, but checks role conditions on the path as sent, as Infisical does", async () => {
    assert.deepEqual(values(await list("everything", { secretPath: "/app/db/" })), { HOST: shopValues.dbHost, PASSWORD: shopValues.dbPassword });
    assert.deepEqual(values(await list("everything", { secretPath: "app/db" })), { HOST: shopValues.dbHost, PASSWORD: shopValues.dbPassword }, "no path condition: the lookup adds the slash");
    assert.equal((await list("app_reader", { secretPath: "/app/db" })).status, 200);
    const refused = await list("app_reader", { secretPath: "app/db" });
    assert.equal(refused.status, 403, '{"$glob": "/app/**"} does not match "app/db" as sent');
    assert.match(refused.body.message, /secretPath 'app\/db'.*send the path with its leading slash \("\/app\/db"\)/);
    assert.deepEqual(warnings, []);
  });

  it("answers an existing environment's missing folder with an empty list", async () => {
    const reply = await list("everything", { secretPath: "/nowhere" });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body.secrets, []);
  });

  it("lists every folder below with recursive=true, each secret with its path", async () => {
    const reply = await list("everything", { secretPath: "/", recursive: "true" });
    const paths = new Set((reply.body.secrets as Secret[]).map((secret) => `${secret.secretPath}:${secret.secretKey}`));
    for (const expected of ["/:ROOT_KEY", "/app:API_URL", "/app/db:PASSWORD", "/shared:SHARED", "/other:OTHER"]) assert.ok(paths.has(expected), expected);
  });

  it("lists, recursively, only the folders the roles allow", async () => {
    const reply = await list("app_reader", { secretPath: "/", recursive: "true" });
    assert.equal(reply.status, 200);
    assert.deepEqual([...new Set((reply.body.secrets as Secret[]).map((secret) => secret.secretPath))].sort(), ["/app", "/app/db"]);
  });

  it("filters by tagSlugs (secrets here carry no tags)", async () => {
    assert.deepEqual((await list("everything", { secretPath: "/app", tagSlugs: "team-a" })).body.secrets, []);
  });
});

describe("permissions", () => {
  it("grants by environment and path glob, and refuses other folders with 403 PermissionDenied", async () => {
    assert.equal((await list("app_reader", { secretPath: "/app/db" })).status, 200);
    const refused = await list("app_reader", { secretPath: "/shared" });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error, "PermissionDenied");
    assert.match(refused.body.message, /^You are not allowed to describeSecret on secrets \(environment 'prod', secretPath '\/shared'\)/);
    assert.equal((await list("dev_only", { secretPath: "/app" })).status, 403, "$in on environment");
    const dev = await backend.call("GET", "/api/v3/secrets/raw", { token: tokens.dev_only, query: { workspaceSlug: "shop", environment: "dev", secretPath: "/app" } });
    assert.equal(values(dev).API_URL, shopValues.devApiUrl);
  });

  it("hides values the identity may describe but not read", async () => {
    const reply = await list("lister", { secretPath: "/app/db" });
    assert.equal(reply.status, 200);
    for (const secret of reply.body.secrets as Secret[]) {
      assert.equal(secret.secretValue, "<hidden-by-infisical>");
      assert.equal(secret.secretValueHidden, true);
    }
    assert.ok(!JSON.stringify(reply.body).includes(shopValues.dbPassword));
    assert.equal((await list("lister", { secretPath: "/app" })).status, 403, "$eq is exact: /app/db does not grant /app");
  });

  it("lets an inverted rule deny readValue on a folder the broad rule grants", async () => {
    const db = await list("deny_db", { secretPath: "/app/db" });
    assert.ok((db.body.secrets as Secret[]).every((secret) => secret.secretValueHidden));
    assert.equal(values(await list("deny_db", { secretPath: "/app" })).API_URL, shopValues.apiUrl);
  });

  it("hides every value with viewSecretValue=false", async () => {
    const reply = await list("everything", { secretPath: "/app/db", viewSecretValue: "false" });
    assert.ok((reply.body.secrets as Secret[]).every((secret) => secret.secretValueHidden && secret.secretValue === "<hidden-by-infisical>"));
  });

  it("refuses an identity that is not a member of the project with 403", async () => {
    const reply = await backend.call("GET", "/api/v3/secrets/raw", { token: tokens.outsider, query: { workspaceSlug: "shop", environment: "prod" } });
    assert.equal(reply.status, 403);
    assert.equal(reply.body.error, "ForbiddenError");
    assert.match(reply.body.message, /not a member of the specified project/);
  });
});

describe("imports", () => {
  it("lists the folder's imports in order, nested ones before their importer; own secrets win, then the bottom-most import", async () => {
    const reply = await list("everything", { secretPath: "/app", include_imports: "true" });
    const imports = reply.body.imports as { environment: string; secretPath: string; secrets: Secret[] }[];
    assert.deepEqual(imports.map((entry) => `${entry.environment}:${entry.secretPath}`), ["dev:/app", "prod:/other", "prod:/shared"]);
    assert.equal(imports[0]!.secrets[0]!.createdAt, undefined, "imported secrets come without timestamps");
    // The merge every client does (the Action, Infisical's own action): own first, imports from last to first.
    const merged: Record<string, string> = {};
    for (const secret of reply.body.secrets as Secret[]) merged[secret.secretKey] ??= secret.secretValue;
    for (const entry of [...imports].reverse()) for (const secret of entry.secrets) merged[secret.secretKey] ??= secret.secretValue;
    assert.equal(merged.API_URL, shopValues.apiUrl, "the folder's own API_URL beats dev's");
    assert.equal(merged.CLASH, "from-prod-shared", "prod:/shared was imported last");
    assert.equal(merged.SHARED, shopValues.shared);
    assert.equal(merged.OTHER, shopValues.otherSecret, "prod:/shared's own import reaches /app");
  });

  it("ignores camelCase includeImports, as Infisical's v3 does", async () => {
    assert.equal((await list("everything", { secretPath: "/app", includeImports: "true" })).body.imports, undefined);
  });

  it("shows imported secrets only where the roles allow", async () => {
    const reply = await list("app_reader", { secretPath: "/app", include_imports: "true", expandSecretReferences: "false" });
    assert.ok((reply.body.imports as { secrets: Secret[] }[]).every((entry) => entry.secrets.length === 0));
  });
});

describe("reference expansion", () => {
  it("expands same-folder, other-environment and nested-folder references; missing ones and cycles stay", async () => {
    const expanded = values(await list("everything", { secretPath: "/app", expandSecretReferences: "true" }));
    assert.equal(expanded.LOGIN, `${shopValues.apiUrl}/login`);
    assert.equal(expanded.ROOT_REF, shopValues.rootKey);
    assert.equal(expanded.DEV_REF, shopValues.devApiUrl);
    assert.equal(expanded.DB_URL, `postgres://app@${shopValues.dbHost}/shop`);
    assert.equal(expanded.MISSING_REF, "x-${NOPE}-y");
    assert.equal(expanded.CYCLE_A, "a-b-${CYCLE_A}");
  });

  it("refuses the whole read with 403 when a reference points where the identity may not read", async () => {
    const reply = await list("app_reader", { secretPath: "/app", expandSecretReferences: "true" });
    assert.equal(reply.status, 403);
    assert.equal(reply.body.error, "ForbiddenError");
    assert.match(reply.body.message, /You do not have permission to read secret 'ROOT_KEY' in environment 'prod' at path '\/', which is referenced by secret 'ROOT_REF'/);
    assert.ok(!JSON.stringify(reply.body).includes(shopValues.rootKey));
  });
});

describe("single secrets", () => {
  const one = (who: string, name: string, query: Record<string, string>, version: 3 | 4 = 3) =>
    backend.call("GET", version === 3 ? `/api/v3/secrets/raw/${name}` : `/api/v4/secrets/${name}`, {
      token: tokens[who],
      query: { ...(version === 3 ? { workspaceSlug: "shop" } : { projectId: backend.outputs.project_id }), environment: "prod", ...query },
    });

  it("reads one secret by name (v3 and v4), with its metadata", async () => {
    for (const version of [3, 4] as const) {
      const reply = await one("everything", "API_URL", { secretPath: "/app" }, version);
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      assert.equal(reply.body.secret.secretValue, shopValues.apiUrl);
      assert.deepEqual(reply.body.secret.secretMetadata, [{ key: "owner", value: "team-shop" }]);
    }
  });

  it("finds a key in the bottom-most import with include_imports=true, else 404", async () => {
    assert.equal((await one("everything", "CLASH", { secretPath: "/app", include_imports: "true" })).body.secret.secretValue, "from-prod-shared");
    const missing = await one("everything", "CLASH", { secretPath: "/app" });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error, "NotFound");
  });

  it("expands references of one secret, and knows only version 1", async () => {
    assert.equal((await one("everything", "LOGIN", { secretPath: "/app", expandSecretReferences: "true" })).body.secret.secretValue, `${shopValues.apiUrl}/login`);
    assert.equal((await one("everything", "LOGIN", { secretPath: "/app", version: "1" })).status, 200);
    assert.equal((await one("everything", "LOGIN", { secretPath: "/app", version: "2" })).status, 404);
    assert.equal((await one("everything", "LOGIN", { secretPath: "/app", type: "personal" })).status, 404);
  });

  it("refuses a secret outside the roles with 403 before looking for it", async () => {
    assert.equal((await one("app_reader", "ROOT_KEY", { secretPath: "/" })).status, 403);
    assert.equal((await one("app_reader", "NO_SUCH_KEY", { secretPath: "/" })).status, 403);
  });
});

describe("request validation", () => {
  it("answers 422 with the zod issue array for a boolean that is not the string true or false", async () => {
    const reply = await list("everything", { secretPath: "/app", recursive: "1", include_imports: "yes" });
    assert.equal(reply.status, 422);
    assert.equal(reply.body.error, "ValidationFailure");
    assert.match(reply.body.reqId, /^req-/);
    assert.deepEqual(reply.body.message, [
      { received: "yes", code: "invalid_enum_value", options: ["true", "false"], path: ["include_imports"], message: "Invalid enum value. Expected 'true' | 'false', received 'yes'" },
      { received: "1", code: "invalid_enum_value", options: ["true", "false"], path: ["recursive"], message: "Invalid enum value. Expected 'true' | 'false', received '1'" },
    ]);
  });

  it("wants projectId on v4: a slug alone is a 422", async () => {
    const reply = await backend.call("GET", "/api/v4/secrets", { token: tokens.everything, query: { workspaceSlug: "shop", environment: "prod" } });
    assert.equal(reply.status, 422);
    assert.deepEqual(reply.body.message, [{ code: "invalid_type", expected: "string", received: "undefined", path: ["projectId"], message: "Required" }]);
  });

  it("answers 400 without a project or environment, 404 for an unknown project or environment", async () => {
    const call = (query: Record<string, string>) => backend.call("GET", "/api/v3/secrets/raw", { token: tokens.everything, query });
    const noEnvironment = await call({ workspaceSlug: "shop" });
    assert.equal(noEnvironment.status, 400);
    assert.match(noEnvironment.body.message, /^Missing project id or environment/);
    assert.equal((await call({ environment: "prod" })).status, 400);
    const unknownProject = await call({ workspaceSlug: "nope", environment: "prod" });
    assert.equal(unknownProject.status, 404);
    assert.match(unknownProject.body.message, /Project with slug 'nope' not found/);
    const unknownEnvironment = await call({ workspaceSlug: "shop", environment: "qa" });
    assert.equal(unknownEnvironment.status, 404);
    assert.match(unknownEnvironment.body.message, /Environment with slug 'qa' not found in project 'shop'; use one of dev, prod/);
  });
});
