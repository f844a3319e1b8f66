// `keybridge rotate` as real processes against `keybridge dev` as a real process: four rotators at
// once write exactly one version per due period (check-and-set), --dry-run writes nothing,
// --rollback restores the previous value, the Action's rotation check warns before a rotation
// and is quiet after, and no generated value appears in any output.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { launchDevBackend, type RunningDevBackend } from "../../testkit/launch-dev-backend.ts";
import { keybridgeCommandLine } from "../../testkit/keybridge-process.ts";
import { devVaultAdmin, vaultRequest } from "../../testkit/admin/vault.ts";
import { LocalJob } from "../../testkit/runner-emulator/job.ts";
import { startRequestGate, type RequestGate } from "../support/request-gate.ts";

const run = promisify(execFile);
const mainScript = fileURLToPath(new URL("../../dist/main.js", import.meta.url));

/** The check's rule: long enough that the Action reads a fresh version well within it. */
const checkRuleSeconds = 10;

function policyDocument(): unknown {
  const generated = (maxAgeSeconds: number, generator: unknown) => ({ maxAgeSeconds, strategy: "generated", generator });
  return {
    version: 1,
    backend: { type: "vault", mount: "secret", authPath: "jwt" },
    issuers: [{ name: "github", url: "https://token.actions.githubusercontent.com" }],
    projects: [{
      name: "ml",
      environments: [{ name: "prod", protected: true }],
      secrets: [
        { name: "api-token", keys: ["token"], rotation: generated(86_400, { format: "uuid" }) },
        { name: "checked", keys: ["key"], rotation: generated(checkRuleSeconds, { format: "alphanumeric", length: 40 }) },
        { name: "database", keys: ["password"], rotation: { maxAgeSeconds: 3600, strategy: "manual" } },
        { name: "webhook", keys: ["signing-key"], rotation: generated(1, { format: "hex" }) },
      ],
      grants: [],
    }],
  };
}

let backend: RunningDevBackend;
let gate: RequestGate;
let work: string;
let policyFile: string;
const printed: string[] = [];

interface Rotator {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function rotate(...args: string[]): Promise<Rotator> {
  const { command, args: base } = keybridgeCommandLine(["rotate", "--policy", policyFile, "--url", gate.url, ...args]);
  const env = { PATH: process.env.PATH ?? "", HOME: work, VAULT_TOKEN: backend.info.vault.rootToken };
  const result = await run(command, [...base], { env, cwd: work, timeout: 90_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? -1, stdout: error.stdout ?? "", stderr: error.stderr ?? "" }),
  );
  printed.push(result.stdout, result.stderr);
  return result;
}

/** Four rotators at once, each held at its first look at the webhook's versions until all four look. */
async function fourRotators(): Promise<Rotator[]> {
  gate.arm(4);
  return Promise.all([rotate(), rotate(), rotate(), rotate()]);
}

async function metadata(path: string): Promise<{ current_version: number; versions: Record<string, { created_time: string }> }> {
  return (await vaultRequest(devVaultAdmin(backend.info), "GET", `secret/metadata/${path}`)).data;
}

async function dataOf(path: string, version: number): Promise<Record<string, string>> {
  return (await vaultRequest(devVaultAdmin(backend.info), "GET", `secret/data/${path}?version=${version}`)).data.data;
}

/** Waits (bounded) until the current version of `path` is older than `seconds`. */
async function waitUntilOlderThan(path: string, seconds: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const meta = await metadata(path);
    const created = Date.parse(meta.versions[String(meta.current_version)]!.created_time);
    const left = created + seconds * 1000 - Date.now();
    if (left < 0) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(left + 50, 500)));
  }
  assert.fail(`${path} never got older than ${seconds} s`);
}

const lines = (rotators: readonly Rotator[], pattern: RegExp) => rotators.flatMap((rotator) => rotator.stdout.split("\n")).filter((line) => pattern.test(line));

before(async () => {
  backend = await launchDevBackend();
  gate = await startRequestGate(backend.info.vault.addr, (request) => request.method === "GET" && (request.url ?? "").startsWith("/v1/secret/metadata/ml/prod/webhook"));
  work = mkdtempSync(join(tmpdir(), "kb-rotate-"));
  policyFile = join(work, "keybridge.policy.json");
  writeFileSync(policyFile, JSON.stringify(policyDocument()));
});

after(async () => {
  await gate?.close();
  await backend?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("keybridge rotate", () => {
  const values: string[] = [];

  it("writes exactly one version per due period under four concurrent rotators", async () => {
    const first = await fourRotators();
    for (const rotator of first) assert.equal(rotator.code, 0, rotator.stderr);
    assert.equal(lines(first, /^rotated ml\/prod\/webhook \(v0 → v1\)$/).length, 1);
    assert.equal(lines(first, /^already rotated ml\/prod\/webhook/).length + lines(first, /^not due ml\/prod\/webhook/).length, 3);
    assert.equal((await metadata("ml/prod/webhook")).current_version, 1);
    assert.equal((await metadata("ml/prod/api-token")).current_version, 1, "a secret without a value yet is due, and written once");
    assert.equal(lines(first, /database/).length, 0, "a manually rotated secret is not touched");

    await waitUntilOlderThan("ml/prod/webhook", 1);
    const second = await fourRotators();
    assert.equal(lines(second, /^rotated ml\/prod\/webhook \(v1 → v2\)$/).length, 1);
    assert.equal(lines(second, /^not due ml\/prod\/api-token \(v1, next in /).length, 4);
    assert.equal((await metadata("ml/prod/webhook")).current_version, 2);
    assert.equal((await metadata("ml/prod/api-token")).current_version, 1);

    const [v1, v2] = [await dataOf("ml/prod/webhook", 1), await dataOf("ml/prod/webhook", 2)];
    assert.match(v1["signing-key"]!, /^[0-9a-f]{32}$/);
    assert.match(v2["signing-key"]!, /^[0-9a-f]{32}$/);
    assert.notEqual(v1["signing-key"], v2["signing-key"]);
    values.push(v1["signing-key"]!, v2["signing-key"]!, (await dataOf("ml/prod/api-token", 1)).token!);
  });

  it("writes nothing with --dry-run", async () => {
    await waitUntilOlderThan("ml/prod/webhook", 1);
    const dry = await rotate("--dry-run");
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^due ml\/prod\/webhook \(v2; dry run, nothing written\)$/m);
    assert.equal((await metadata("ml/prod/webhook")).current_version, 2);
  });

  it("restores the previous value with --rollback, as a new version", async () => {
    const rollback = await rotate("--rollback", "ml/prod/webhook");
    assert.equal(rollback.code, 0, rollback.stderr);
    assert.equal(rollback.stdout.trim(), "rolled back ml/prod/webhook (v2 → v3, the data of v1)");
    assert.deepEqual(await dataOf("ml/prod/webhook", 3), await dataOf("ml/prod/webhook", 1));
  });

  it("fails when there is nothing to roll back to, with KB_ROLLBACK_IMPOSSIBLE", async () => {
    const refused = await rotate("--rollback", "ml/prod/api-token");
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^keybridge rotate: KB_ROLLBACK_IMPOSSIBLE: secret\/data\/ml\/prod\/api-token has only v1: there is no earlier version to restore/m);
  });

  it("never prints a value", () => {
    assert.ok(values.length === 3);
    for (const text of printed) for (const value of values) assert.ok(!text.includes(value), "a generated value appears in the output of keybridge rotate");
  });
});

describe("the Action's rotation check around a rotation", () => {
  it("warns before the rotation and is quiet after it", async () => {
    const admin = devVaultAdmin(backend.info);
    const custom = { "keybridge-managed": "true", "keybridge-keys": "key", "keybridge-rotation-max-age": `${checkRuleSeconds}s`, "keybridge-rotation-strategy": "generated" };
    await vaultRequest(admin, "POST", "secret/metadata/ml/prod/checked", { custom_metadata: custom });
    await waitUntilOlderThan("ml/prod/checked", checkRuleSeconds + 1);
    const job = await LocalJob.create();
    try {
      const inputs = { url: backend.info.vault.addr, method: "token", token: backend.info.vault.rootToken, secrets: "secret/data/ml/prod/checked key | CHECKED_KEY" };
      const before = await job.runStep(mainScript, { inputs, timeoutMs: 60_000 });
      assert.equal(before.exitCode, 0, before.stderr);
      assert.match(before.stdout, /ml\/prod\/checked was last written .* ago; its rotation rule allows .*: rotate it/);

      const rotated = await rotate();
      assert.match(rotated.stdout, /^rotated ml\/prod\/checked \(v1 → v2\)$/m);
      const after = await job.runStep(mainScript, { inputs, timeoutMs: 60_000 });
      assert.equal(after.exitCode, 0, after.stderr);
      assert.doesNotMatch(after.stdout + after.stderr, /rotation rule allows/);
      const value = (await dataOf("ml/prod/checked", 2)).key!;
      for (const step of [before, after]) assert.ok(!`${step.stdout.replace(/^::add-mask::.*$/gm, "")}${step.stderr}${step.summary}`.includes(value));
      for (const text of printed) assert.ok(!text.includes(value));
    } finally {
      await job.dispose();
    }
  });
});

describe("the Action's rotate mode", () => {
  it("rotates what is due, writes one summary row per secret and never a value", async () => {
    await waitUntilOlderThan("ml/prod/webhook", 1);
    const before = (await metadata("ml/prod/webhook")).current_version;
    const job = await LocalJob.create();
    try {
      const inputs = { mode: "rotate", policy: policyFile, url: backend.info.vault.addr, method: "token", token: backend.info.vault.rootToken };
      const dry = await job.runStep(mainScript, { inputs: { ...inputs, "dry-run": "true" }, timeoutMs: 60_000 });
      assert.equal(dry.exitCode, 0, dry.stdout + dry.stderr);
      assert.match(dry.stdout, new RegExp(`due ml/prod/webhook \\(v${before}; dry run, nothing written\\)`));
      assert.equal((await metadata("ml/prod/webhook")).current_version, before);

      const step = await job.runStep(mainScript, { inputs, timeoutMs: 60_000 });
      assert.equal(step.exitCode, 0, step.stdout + step.stderr);
      assert.match(step.stdout, new RegExp(`rotated ml/prod/webhook \\(v${before} → v${before + 1}\\)`));
      // What a reader sees: the summary's numeric entities (markdown escaping) turned into characters.
      const summary = step.summary.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));
      assert.match(summary, /### Keybridge: rotation/);
      assert.match(summary, new RegExp(`\\| \`ml/prod/webhook\` \\| rotated \\(v${before} → v${before + 1}\\) \\|`));
      assert.match(summary, /\| `ml\/prod\/api-token` \| not due \(v1, next in /);
      const value = (await dataOf("ml/prod/webhook", before + 1))["signing-key"]!;
      for (const result of [dry, step]) assert.ok(!`${result.stdout}${result.stderr}${result.summary}`.includes(value), "the new value appears in the step's output or summary");
    } finally {
      await job.dispose();
    }
  });

  it("fails when the step's backend is not the policy's (infisical for a Vault document), with KB_ROTATE_UNSUPPORTED", async () => {
    const job = await LocalJob.create();
    try {
      const step = await job.runStep(mainScript, { inputs: { mode: "rotate", backend: "infisical", url: backend.info.vault.addr, method: "token", token: "t", policy: policyFile }, timeoutMs: 60_000 });
      assert.equal(step.exitCode, 1);
      assert.match(step.stdout, /::error::KB_ROTATE_UNSUPPORTED: the policy document's backend is vault, but the connection is to Infisical/);
    } finally {
      await job.dispose();
    }
  });
});
