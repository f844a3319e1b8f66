// Each code of the table, provoked through the public function or the process that raises it.
// The table and these cases must cover each other: a code nobody can provoke is a dead entry, a
// provoked code missing from the table is undocumented.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { errorCodes, type ErrorCode } from "../../../policy/errors/codes.ts";
import { describeError, KeybridgeError } from "../../../policy/errors/keybridge-error.ts";
import { buildPlan } from "../../../policy/plan.ts";
import { parseSecretsSpec } from "../../../client/secrets-spec.ts";
import { selectSecrets } from "../../../client/select-secrets.ts";
import { formatDotenv } from "../../../client/dotenv.ts";
import { checkEnvironmentSize } from "../../../client/environment-limits.ts";
import { oidcRequestFromEnv, requestIdToken } from "../../../client/oidc.ts";
import { HttpClient } from "../../../client/http/http-client.ts";
import { VaultBackend } from "../../../client/backends/vault.ts";
import { InfisicalBackend } from "../../../client/backends/infisical.ts";
import type { SecretsBackend } from "../../../client/backends/backend.ts";
import { setOutput } from "../../../action/runner-protocol/file-commands.ts";
import { checkRotation } from "../../../action/rotation-check.ts";
import { VaultKvStore } from "../../../client/rotation/vault-kv-store.ts";
import { rotationStore } from "../../../client/rotation/rotate-document.ts";
import { rollbackSecret } from "../../../client/rotation/rollback-secret.ts";
import { resolveRunSettings } from "../../../bin/run/run-settings.ts";
import { chooseDevice } from "../../../bin/incident/drill.ts";
import { VaultAdmin } from "../../../bin/incident/vault-admin.ts";
import { grantProblems } from "../../../provider/validation.ts";
import { Duration } from "../../../provider/index.ts";
import { startDevBackend } from "../../../dev/server.ts";
import { completeJobClaims } from "../../../dev/oidc/job-claims.ts";
import { writeDatabaseRole } from "../../../dev/vault/secrets/database/database-roles.ts";
import { parseRequestBody } from "../../../dev/infisical/request-body.ts";
import { maxBodyBytes, readBody } from "../../../dev/http-io.ts";
import { validateToken } from "../../../dev/jwt/validate.ts";
import { parseDuration } from "../../../dev/vault/core/durations.ts";
import { objectsOfText } from "../../../bin/sync/read-manifests.ts";
import { grant, withGrants, repo } from "../support/documents.ts";
import { startStubServer, type StubServer } from "../../support/stub-server.ts";

const cli = fileURLToPath(new URL("../../../bin/keybridge.ts", import.meta.url));
let stub: StubServer;
let work: string;
const https: HttpClient[] = [];

before(async () => {
  stub = await startStubServer();
  work = mkdtempSync(join(tmpdir(), "kb-error-codes-"));
});

after(async () => {
  await Promise.all(https.map((http) => http.close()));
  await stub.close();
  rmSync(work, { recursive: true, force: true });
});

function http(): HttpClient {
  const client = new HttpClient({ timeoutMs: 5_000, retries: 0 });
  https.push(client);
  return client;
}

const session = { token: "t", ttlSeconds: 60, policies: ["default"], renewable: false, owned: true };
const vault = () => new VaultBackend(http(), { name: "Vault", url: stub.url, namespace: undefined, authPath: "jwt", role: "ci" });
const kvStore = () => new VaultKvStore(http(), { name: "Vault", url: stub.url, namespace: undefined, token: "t", mount: "secret" });
const names = { allowNames: new Set<string>(), allowNamesHow: "the allow-names input", consequence: "nothing was exported", warn: () => {} };
const scope = { identityId: undefined, project: "p", environment: "dev", recursive: false, includeImports: false, expandReferences: false };

/** The error `act` throws (or rejects with). */
async function thrown(act: () => unknown): Promise<unknown> {
  try {
    await act();
  } catch (error) {
    return error;
  }
  assert.fail("expected an error");
}

/** Runs with some environment variables set (undefined: removed), restoring them after. */
async function withEnv<T>(values: Record<string, string | undefined>, act: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const apply = (next: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(next)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(values);
  try {
    return await act();
  } finally {
    apply(saved);
  }
}

/** `keybridge ARGS` as a process: its stderr. */
function keybridge(...args: string[]): string {
  const result = spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), cli, ...args], { cwd: work, encoding: "utf8", timeout: 60_000 });
  return result.stderr;
}

/** What each case gives: an error (checked for its code) or the line a user sees. */
type Provoked = unknown;

const cases: Record<ErrorCode, () => Promise<Provoked> | Provoked> = {
  KB_INPUT_INVALID: () => thrown(() => parseSecretsSpec("secret/data/app")),
  KB_NOT_ON_RUNNER: () => withEnv({ GITHUB_OUTPUT: undefined }, () => thrown(() => setOutput("name", "value"))),
  KB_OIDC_MISSING_PERMISSION: () => thrown(() => oidcRequestFromEnv({})),
  KB_OIDC_REQUEST_FAILED: () => {
    stub.route("GET /oidc-token", { status: 200, json: {} });
    return thrown(() => requestIdToken(http(), { url: new URL("/oidc-token", stub.url).href, bearer: "b" }, undefined));
  },
  KB_LOGIN_REFUSED: () => {
    stub.route("POST /v1/auth/jwt/login", { status: 400, json: { errors: ['role "ci" could not be found'] } });
    return thrown(() => vault().loginWithJwt("e30.e30.sig"));
  },
  KB_READ_FAILED: () => {
    stub.route("GET /v1/secret/data/denied", { status: 403, json: { errors: ["permission denied"] } });
    return thrown(() => vault().read(session, "secret/data/denied"));
  },
  KB_SECRET_NOT_FOUND: () => thrown(() => vault().read(session, "secret/data/missing")),
  KB_ISSUE_REFUSED: () => {
    stub.route("POST /v1/pki/issue/web", { status: 400, json: { errors: ["common name evil.example.org not allowed by this role"] } });
    return thrown(() => vault().issueCertificate(session, "pki/issue/web", { common_name: "evil.example.org" }));
  },
  KB_SECRET_HIDDEN: () => {
    const read = { path: "app", data: {}, lease: undefined, writtenAt: undefined, customMetadata: undefined, hiddenKeys: new Set(["KEY"]) };
    return thrown(() => selectSecrets(parseSecretsSpec("app KEY"), new Map([["app", read]]), names));
  },
  KB_ROTATION_OVERDUE: () => {
    const read = { path: "secret/data/app", data: {}, lease: undefined, writtenAt: new Date("2026-01-01T00:00:00Z"), customMetadata: { "keybridge-rotation-max-age": "86400s" } };
    return thrown(() => checkRotation([read], "fail", new Date("2026-03-01T00:00:00Z"), () => {}));
  },
  KB_ROTATE_FAILED: () => {
    stub.route("GET /v1/secret/metadata/ml/prod/denied", { status: 403, json: { errors: ["permission denied"] } });
    return thrown(() => kvStore().versions("ml/prod/denied"));
  },
  KB_ROTATE_UNSUPPORTED: () => {
    const document = { version: 1 as const, backend: { type: "infisical" as const, url: stub.url.href }, issuers: [], projects: [] };
    return thrown(() => rotationStore(http(), document, { name: "Vault", url: stub.url, namespace: undefined, token: "t" }));
  },
  KB_ROLLBACK_IMPOSSIBLE: () => thrown(() => rollbackSecret(kvStore(), "ml/prod/never-written")),
  KB_HTTP_FAILED: () => {
    stub.route("GET /v1/secret/data/sealed", { status: 503, json: { errors: ["Vault is sealed"] } });
    return thrown(() => vault().read(session, "secret/data/sealed"));
  },
  KB_EXPORT_FAILED: () => thrown(() => checkEnvironmentSize([["DB_PASSWORD", "a\0b"]], {}, { consequence: "nothing was exported", fix: "use export-file" })),
  KB_EXPORT_TOO_LARGE: () => thrown(() => checkEnvironmentSize([["BIG", "x".repeat(200 * 1024)]], {}, { consequence: "nothing was exported", fix: "use export-file" })),
  KB_NAME_INVALID: () => thrown(() => formatDotenv([["1NAME", "value"]])),
  KB_NAME_RESERVED: () => {
    const read = { path: "secret/data/app", data: { ld_preload: "/srv/attacker/x.so" }, lease: undefined, writtenAt: undefined, customMetadata: undefined };
    return thrown(() => selectSecrets(parseSecretsSpec("secret/data/app *"), new Map([["secret/data/app", read]]), names));
  },
  KB_COMMENT_FAILED: () => {
    stub.route("GET /repos/acme/app/issues/7/comments", { status: 403, json: { message: "Resource not accessible by integration" } });
    return withEnv({ GITHUB_API_URL: stub.url.href.replace(/\/$/, ""), GITHUB_REPOSITORY: "acme/app" }, async () => {
      const { upsertStickyComment } = await import("../../../action/plan/sticky-comment.ts");
      return thrown(() => upsertStickyComment("token", 7, "<!-- keybridge-plan:s -->", "body"));
    });
  },
  KB_RENEW_FAILED: () => {
    const infisical: SecretsBackend = new InfisicalBackend(http(), { url: stub.url, ...scope });
    return thrown(() => infisical.renewLease(session, { id: "l", durationSeconds: 1, renewable: true }, 60));
  },
  KB_PLAN_RISK: () => {
    const stack = join(work, "plan", "head");
    mkdirSync(join(work, "plan", "base"), { recursive: true });
    mkdirSync(stack, { recursive: true });
    writeFileSync(join(work, "plan", "base", "keybridge.policy.json"), JSON.stringify(withGrants([grant("ci")])));
    writeFileSync(join(stack, "keybridge.policy.json"), JSON.stringify(withGrants([grant("ci", { principal: repo("acme/app", { ref: ["refs/heads/*"] }) })])));
    const runner = { GITHUB_OUTPUT: join(work, "output"), GITHUB_STEP_SUMMARY: join(work, "summary"), RUNNER_TEMP: work, GITHUB_EVENT_PATH: undefined };
    for (const file of [runner.GITHUB_OUTPUT, runner.GITHUB_STEP_SUMMARY]) writeFileSync(file, "");
    return withEnv(runner, async () => {
      const { runPlan } = await import("../../../action/plan/run-plan.ts");
      const inputs = { base: join(work, "plan", "base"), head: stack, terraformPlan: undefined, failOn: "high" as const, githubToken: undefined, comment: false, stack: "s" };
      return thrown(() => runPlan(inputs));
    });
  },
  KB_TERRAFORM_PLAN_INVALID: () => thrown(() => buildPlan({ base: null, head: withGrants([]), terraformPlan: { not: "a plan" } })),
  KB_MANIFEST_INVALID: () => thrown(() => objectsOfText("apiVersion: secrets.hashicorp.com/v1beta1\nkind: VaultAuth\nmetadata: {}\n", "auth.yaml")),
  KB_USAGE: () => thrown(() => resolveRunSettings({ backend: "consul", config: undefined }, {})),
  KB_INTERNAL: () => describeError(new TypeError("x is undefined")),
  KB_SYSTEM: () => keybridge("dev", "--port", "0", "--audit-log", join(work, "no-such-dir", "audit.log")).replace(/^keybridge dev: /, ""),
  KB_AUDIT_DEVICE_UNKNOWN: () => thrown(() => chooseDevice([], "audit.log", undefined)),
  KB_INCIDENT_PERMISSION_DENIED: () => {
    stub.route("GET /v1/auth/token/accessors", { status: 403, json: { errors: ["permission denied"] } });
    return thrown(() => new VaultAdmin(http(), { url: stub.url, namespace: undefined, token: "t" }).liveAccessors());
  },
  KB_INCIDENT_UNSUPPORTED: () => keybridge("incident", "--backend", "infisical", "--path", "app/KEY", "--audit-log", "audit.log").replace(/^keybridge incident: /, ""),
  KB_SYNTH_APP_FAILED: () => {
    writeFileSync(join(work, "broken-app.ts"), 'throw new Error("the app is broken");\n');
    return keybridge("synth", "broken-app.ts", "--out", "synth-out").replace(/^keybridge synth: /, "");
  },
  KB_SYNTH_INVALID: () => grantProblems(grant("ci", { environment: "prd" }), { name: "payments", environments: [{ name: "prod", protected: true }], secrets: ["database"] }).errors[0],
  KB_CONSTRUCT_INVALID: () => thrown(() => Duration.minutes(-1)),
  KB_DEV_TERRAFORM_INVALID: () => {
    const file = join(work, "unsupported.tf.json");
    writeFileSync(file, JSON.stringify({ resource: { vault_aws_secret_backend: { x: { path: "aws" } } } }));
    return thrown(async () => (await startDevBackend({ port: 0, terraformFile: file })).close());
  },
  KB_DEV_DATA_DIR: () => withEnv({ KEYBRIDGE_DATA_KEY: undefined }, () => thrown(async () => (await startDevBackend({ port: 0, dataDir: join(work, "data") })).close())),
  KB_DEV_JOB_CLAIMS: () => thrown(() => completeJobClaims({ repository: "no-owner" })),
  KB_DEV_VAULT_REQUEST: () => thrown(() => writeDatabaseRole(undefined, {}, () => {})),
  KB_DEV_INFISICAL_REQUEST: () => thrown(() => parseRequestBody({ "content-type": "application/json" }, Buffer.from("{"))),
  KB_DEV_REQUEST_TOO_LARGE: () => thrown(() => readBody(Readable.from([Buffer.alloc(maxBodyBytes + 1)]) as unknown as IncomingMessage)),
  KB_DEV_TOKEN_INVALID: () => thrown(() => validateToken("not-a-jwt", async () => { throw new Error("no key"); }, {
    issuer: "", subject: "", audiences: [], algorithms: ["RS256"], clockSkewLeeway: 0, expirationLeeway: 0, notBeforeLeeway: 0, nowSeconds: 0,
  })),
  KB_DEV_CONFIG_INVALID: () => thrown(() => parseDuration("soon")),
};

describe("error codes: each one provoked where it is raised", () => {
  it("fails when a code of the table has no provoking case, or a case no code", () => {
    assert.deepEqual(Object.keys(cases).sort(), Object.keys(errorCodes).sort());
  });

  for (const [code, provoke] of Object.entries(cases)) {
    it(`raises ${code}`, async () => {
      const provoked = await provoke();
      if (typeof provoked === "string") {
        assert.ok(provoked.startsWith(`${code}: `), `the line starts with ${code}: ${provoked}`);
        assert.doesNotMatch(provoked, /\n\s+at /, "no stack trace");
        return;
      }
      assert.ok(provoked instanceof KeybridgeError, `a KeybridgeError, got ${String(provoked)}`);
      assert.equal(provoked.code, code, provoked.message);
      assert.ok(describeError(provoked).startsWith(`${code}: `), "the line a user sees starts with the code");
    });
  }
});
