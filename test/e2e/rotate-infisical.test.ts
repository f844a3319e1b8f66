// `keybridge rotate` on Infisical as real processes against `keybridge dev` (its Infisical API) as
// a real process: a due generated secret is rotated once and a not-due one left alone, keys the
// rule does not generate are kept, --dry-run writes nothing, --rollback restores the previous
// value, the committed Action bundle's rotate mode does the same from a job, and no value
// appears in any output.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchDevBackend, type RunningDevBackend } from "../../testkit/launch-dev-backend.ts";
import { oidcEnv, requestJobToken } from "../../testkit/admin/oidc-jobs.ts";
import { keybridgeCommandLine } from "../../testkit/keybridge-process.ts";
import { LocalJob } from "../../testkit/runner-emulator/job.ts";
import { ciIdentity, ref, resources } from "../support/infisical-backend.ts";

const mainScript = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
const claims = { repository: "acme/ml", ref: "refs/heads/main" };
const auth = { bound_audiences: ["https://github.com/acme"], bound_claims: { repository: "acme/ml" } };
const seedValue = "seed-signing-7f3e";
const keptLabel = "kept-label-21aa";

function terraformDocument() {
  const project = "infisical_project.ml";
  const folder = (name: string) => ({ project_id: ref(project, "id"), environment_slug: ref("infisical_project_environment.prod", "slug"), folder_path: "/", name });
  const secret = (key: string, value: string) => ({
    workspace_id: ref(project, "id"), env_slug: ref("infisical_project_environment.prod", "slug"), folder_path: ref("infisical_secret_folder.webhook", "path"), name: key, value,
  });
  const rotator = ciIdentity("rotator", "ml", auth, [{ action: ["describeSecret", "readValue", "create", "edit"], conditions: { environment: { $eq: "prod" } } }]);
  return {
    provider: { infisical: [{ host: "https://infisical.example" }] },
    resource: resources(
      {
        infisical_project: { ml: { name: "ML", slug: "ml", should_create_default_envs: false } },
        infisical_project_environment: { prod: { project_id: ref(project, "id"), name: "Production", slug: "prod" } },
        infisical_secret_folder: { webhook: folder("webhook"), api_token: folder("api-token") },
        infisical_secret: { signing: secret("signing-key", seedValue), label: secret("LABEL", keptLabel) },
      },
      rotator,
    ),
    output: { rotator: { value: ref("infisical_identity.rotator", "id") } },
  };
}

function policyDocument(url: string): unknown {
  const generated = (maxAgeSeconds: number, generator: unknown) => ({ maxAgeSeconds, strategy: "generated", generator });
  return {
    version: 1,
    backend: { type: "infisical", url },
    issuers: [{ name: "github", url: "https://token.actions.githubusercontent.com" }],
    projects: [{
      name: "ml",
      environments: [{ name: "prod", protected: true }],
      secrets: [
        { name: "api-token", keys: ["token"], rotation: generated(86_400, { format: "uuid" }) },
        { name: "database", keys: ["password"], rotation: { maxAgeSeconds: 3600, strategy: "manual" } },
        { name: "webhook", keys: ["signing-key"], rotation: generated(1, { format: "hex" }) },
      ],
      grants: [],
    }],
  };
}

let backend: RunningDevBackend;
let work: string;
let policyFile: string;
let rotatorId: string;
let token: string;
const printed: string[] = [];
/** Every value the tests saw in Infisical: none may appear in any output. */
const seenValues = new Set<string>([seedValue, keptLabel]);

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function rotate(...args: string[]): Promise<Run> {
  const { command, args: base } = keybridgeCommandLine(["rotate", "--policy", policyFile, ...args]);
  const env = { PATH: process.env.PATH ?? "", HOME: work, INFISICAL_URL: backend.info.infisical!.addr, INFISICAL_TOKEN: token };
  const result = await new Promise<Run>((resolve) => {
    execFile(command, [...base], { env, cwd: work, timeout: 90_000 }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
  printed.push(result.stdout, result.stderr);
  return result;
}

async function api(path: string, query: Record<string, string>): Promise<any> {
  const url = `${backend.info.infisical!.addr}${path}?${new URLSearchParams({ workspaceSlug: "ml", environment: "prod", ...query })}`;
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200, `GET ${path} answered ${response.status}`);
  return response.json();
}

/** The folder's keys: name → {version, value}. */
async function keysOf(folder: string): Promise<Record<string, { version: number; value: string }>> {
  const { secrets } = await api("/api/v3/secrets/raw", { secretPath: folder });
  const keys: Record<string, { version: number; value: string }> = Object.fromEntries((secrets as any[]).map((secret) => [secret.secretKey, { version: secret.version, value: secret.secretValue }]));
  for (const { value } of Object.values(keys)) seenValues.add(value);
  return keys;
}

async function valueAt(folder: string, key: string, version: number): Promise<string> {
  const { secret } = await api(`/api/v3/secrets/raw/${key}`, { secretPath: folder, version: String(version) });
  seenValues.add(secret.secretValue);
  return secret.secretValue;
}

/** Waits (bounded) until the webhook's keys were last written more than a second ago: its 1 s rule is due. */
async function waitUntilWebhookDue(): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { secrets } = await api("/api/v3/secrets/raw", { secretPath: "/webhook", viewSecretValue: "false" });
    const newest = Math.max(...(secrets as any[]).map((secret) => Date.parse(secret.updatedAt)));
    const left = newest + 1000 - Date.now();
    if (left < 0) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(left + 50, 500)));
  }
  assert.fail("the webhook never got older than 1 s");
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), "kb-rotate-infisical-"));
  const terraformFile = join(work, "main.tf.json");
  await writeFile(terraformFile, JSON.stringify(terraformDocument()));
  backend = await launchDevBackend(["--terraform", terraformFile]);
  rotatorId = (backend.info.outputs as Record<string, string>).rotator!;
  policyFile = join(work, "keybridge.policy.json");
  await writeFile(policyFile, JSON.stringify(policyDocument(backend.info.infisical!.addr)));
  const jwt = await requestJobToken(await backend.mintJob(claims), "https://github.com/acme");
  const login = await fetch(`${backend.info.infisical!.addr}/api/v1/auth/oidc-auth/login`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ identityId: rotatorId, jwt }),
  });
  assert.equal(login.status, 200, "the rotator identity logs in");
  token = ((await login.json()) as { accessToken: string }).accessToken;
});

after(async () => {
  if (backend) await backend.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("keybridge rotate on Infisical", () => {
  it("--dry-run says what is due and writes nothing", async () => {
    await waitUntilWebhookDue();
    const result = await rotate("--dry-run");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^due ml\/prod\/api-token \(v0; dry run, nothing written\)$/m);
    assert.match(result.stdout, /^due ml\/prod\/webhook \(v1; dry run, nothing written\)$/m);
    assert.doesNotMatch(result.stdout, /database/, "a manual secret is not rotated");
    assert.deepEqual(await keysOf("/api-token"), {});
    assert.deepEqual(await keysOf("/webhook"), { "signing-key": { version: 1, value: seedValue }, LABEL: { version: 1, value: keptLabel } });
  });

  it("rotates each due secret once: every key written, generated keys new, the others kept", async () => {
    const result = await rotate();
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^rotated ml\/prod\/api-token \(v0 → v1\)$/m);
    assert.match(result.stdout, /^rotated ml\/prod\/webhook \(v1 → v2\)$/m);
    const webhook = await keysOf("/webhook");
    assert.equal(webhook["signing-key"]!.version, 2);
    assert.match(webhook["signing-key"]!.value, /^[0-9a-f]{32}$/);
    assert.notEqual(webhook["signing-key"]!.value, seedValue);
    assert.deepEqual(webhook.LABEL, { version: 2, value: keptLabel });
    assert.equal(await valueAt("/webhook", "signing-key", 1), seedValue, "the old version stays");
    const apiToken = await keysOf("/api-token");
    assert.deepEqual(Object.keys(apiToken), ["token"]);
    assert.match(apiToken.token!.value, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("leaves a secret that is not due alone", async () => {
    const before = await keysOf("/api-token");
    const result = await rotate();
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^not due ml\/prod\/api-token \(v1, next in /m);
    assert.deepEqual(await keysOf("/api-token"), before);
  });

  it("--rollback restores the previous version's values as a new version", async () => {
    const current = (await keysOf("/webhook"))["signing-key"]!;
    const previous = await valueAt("/webhook", "signing-key", current.version - 1);
    const dry = await rotate("--rollback", "ml/prod/webhook", "--dry-run");
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, new RegExp(`^would roll back ml/prod/webhook \\(v${current.version} → the data of v${current.version - 1}; dry run`, "m"));
    assert.equal((await keysOf("/webhook"))["signing-key"]!.version, current.version);
    const result = await rotate("--rollback", "ml/prod/webhook");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`^rolled back ml/prod/webhook \\(v${current.version} → v${current.version + 1}, the data of v${current.version - 1}\\)$`, "m"));
    const after = await keysOf("/webhook");
    assert.deepEqual(after["signing-key"], { version: current.version + 1, value: previous });
    assert.equal(await valueAt("/webhook", "signing-key", current.version), current.value, "the rolled-back value stays in the history");
  });

  it("refuses a path that is no generated secret's with a one-line error", async () => {
    const result = await rotate("--rollback", "ml/prod");
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /KB_ROTATE_FAILED: "ml\/prod" is not a generated secret's path/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
  });

  it("the Action bundle's rotate mode rotates on Infisical from a job", async () => {
    await waitUntilWebhookDue();
    const before = (await keysOf("/webhook"))["signing-key"]!.version;
    const job = await LocalJob.create();
    try {
      const step = await job.runStep(mainScript, {
        inputs: { mode: "rotate", backend: "infisical", url: backend.info.infisical!.addr, "identity-id": rotatorId, policy: policyFile },
        env: oidcEnv(await backend.mintJob(claims)),
        timeoutMs: 60_000,
      });
      printed.push(step.stdout, step.stderr, step.summary);
      assert.equal(step.exitCode, 0, `${step.stdout}\n${step.stderr}`);
      assert.match(step.stdout, new RegExp(`rotated ml/prod/webhook \\(v${before} → v${before + 1}\\)`));
      assert.match(step.stdout, /not due ml\/prod\/api-token/);
    } finally {
      await job.dispose();
    }
    assert.equal((await keysOf("/webhook"))["signing-key"]!.version, before + 1);
  });

  it("printed no value anywhere", () => {
    const output = printed.join("\n");
    for (const value of seenValues) assert.ok(!output.includes(value), "a secret value appears in the output");
    assert.ok(!output.includes(token), "the access token appears in the output");
  });
});
