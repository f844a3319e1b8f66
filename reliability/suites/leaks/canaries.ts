// Canary values seeded into the flows other than a successful export: a refused login, a read the
// ACL refuses, the post step, the audit log (a canary written, read, and written again by a token
// that may not) — none may show up in anything the Action or the dev backend prints or writes.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { vaultCall, vaultRequest } from "../../../testkit/admin/vault.ts";
import type { StepResult } from "../../../testkit/runner-emulator/job.ts";
import { parseWorkflowCommand } from "../../../testkit/runner-emulator/workflow-commands.ts";
import { filesUnder, maskEncodingsInput, newJob, runMain, runPost, scanFor, stepFileSources, type Context } from "./context.ts";
import { partsOf, printedSources, type Source } from "./scan.ts";
import { createRole, writeSecret, type RoleSpec } from "./vault-setup.ts";

export interface Canary {
  readonly flow: string;
  readonly label: string;
  readonly value: string;
}

export interface FlowResult {
  readonly flow: string;
  readonly tried: string;
  /** Problems other than a canary found somewhere (checked for all canaries at the end). */
  readonly problems: string[];
  /** What held, for the outcome. */
  readonly summary: string;
  /** Canaries this flow seeded. */
  readonly canaries: readonly Canary[];
  /** Texts this flow produced, searched for every canary at the end. */
  readonly sources: readonly Source[];
}

export function makeCanaries(flow: string): Canary[] {
  const body = randomBytes(96).toString("base64");
  return [
    { flow, label: "token canary", value: `kbcanary-${flow}-${randomBytes(12).toString("hex")}` },
    { flow, label: "PEM canary", value: `-----BEGIN KB CANARY ${flow.toUpperCase()}-----\n${body.slice(0, 64)}\n${body.slice(64)}\n-----END KB CANARY-----` },
  ];
}

const data = (canaries: readonly Canary[]) => Object.fromEntries(canaries.map((canary, index) => [`canary_${index}`, canary.value]));

const canaryPaths = {
  login: "secret/data/canary/login",
  acl: "secret/data/canary/acl",
  post: "secret/data/canary/post",
  audit: "secret/data/canary/audit",
};

const lockedRole: RoleSpec = { role: "canary-locked", claims: { repository: "acme/canary-locked", ref: "refs/heads/main" }, paths: [canaryPaths.login] };
const readerRole: RoleSpec = { role: "canary-reader", claims: { repository: "acme/canary", ref: "refs/heads/main" }, paths: [canaryPaths.post, canaryPaths.audit] };

export interface CanarySeeds {
  readonly login: Canary[];
  readonly acl: Canary[];
  readonly post: Canary[];
  readonly audit: Canary[];
  /** Sent by a token whose policy refuses the write. */
  readonly auditWrite: Canary[];
}

export async function seedCanaries(context: Context): Promise<CanarySeeds> {
  const seeds: CanarySeeds = {
    login: makeCanaries("login"),
    acl: makeCanaries("acl"),
    post: makeCanaries("post"),
    audit: makeCanaries("audit"),
    auditWrite: makeCanaries("audit-write"),
  };
  await writeSecret(context.admin, canaryPaths.login, data(seeds.login));
  await writeSecret(context.admin, canaryPaths.acl, data(seeds.acl));
  await writeSecret(context.admin, canaryPaths.post, data(seeds.post));
  await writeSecret(context.admin, canaryPaths.audit, data(seeds.audit));
  await createRole(context.admin, lockedRole);
  await createRole(context.admin, readerRole);
  return seeds;
}

function inputsFor(context: Context, role: string, secrets: readonly string[], file = "ci.env"): Record<string, string> {
  return {
    url: context.backend.info.vault.addr,
    role,
    secrets: secrets.join("\n"),
    "export-env": "true",
    "export-outputs": "true",
    "export-file": file,
    "mask-encodings": maskEncodingsInput,
  };
}

function allSources(main: StepResult, post: StepResult): Source[] {
  return [...printedSources(main, "main"), ...stepFileSources(main, "main"), ...printedSources(post, "post"), ...stepFileSources(post, "post")];
}

function errorMessages(step: StepResult): string[] {
  return step.stdout.split("\n").flatMap((line) => {
    const command = parseWorkflowCommand(line);
    return command?.command === "error" ? [command.data] : [];
  });
}

function exportedNothing(main: StepResult, runnerTemp: string, problems: string[]): void {
  if (main.exportedEnv.size > 0) problems.push(`${main.exportedEnv.size} environment variable(s) exported`);
  const outputs = [...main.outputs.keys()];
  if (outputs.length > 0) problems.push(`step outputs set: ${outputs.join(", ")}`);
  if (filesUnder(runnerTemp).length > 0) problems.push("a file was left under RUNNER_TEMP");
}

async function tokenStatus(context: Context, token: string): Promise<number> {
  return (await vaultCall(context.admin, "GET", "auth/token/lookup-self", { token })).status;
}

/** A job whose claims do not match the role that guards the canaries. */
export async function refusedLogin(context: Context, seeds: CanarySeeds): Promise<FlowResult> {
  const job = await newJob(context);
  const inputs = inputsFor(context, lockedRole.role, [`${canaryPaths.login} *`]);
  const main = await runMain(context, job, { ...lockedRole.claims, ref: "refs/heads/feature/leak" }, inputs);
  const problems: string[] = [];
  if (main.exitCode !== 1) problems.push(`main exited ${main.exitCode}, not 1`);
  const errors = errorMessages(main);
  if (!errors.some((message) => /claim "ref" does not match/.test(message))) problems.push("no error line says which claim did not match");
  exportedNothing(main, job.runnerTemp, problems);
  const post = await runPost(context, job, inputs, main);
  if (post.exitCode !== 0) problems.push(`post exited ${post.exitCode}`);
  return {
    flow: "refused login",
    tried: "refused login: a job on another branch asks role canary-locked for its canaries",
    problems,
    summary: `login refused (${errors.length} error line${errors.length === 1 ? "" : "s"}), nothing exported`,
    canaries: seeds.login,
    sources: allSources(main, post),
  };
}

/** A read of a path the role's policy does not grant, next to one it does. */
export async function aclRefusedRead(context: Context, seeds: CanarySeeds): Promise<FlowResult> {
  const job = await newJob(context);
  const inputs = inputsFor(context, readerRole.role, [`${canaryPaths.acl} *`, `${canaryPaths.post} * | OK_`]);
  const main = await runMain(context, job, readerRole.claims, inputs);
  const problems: string[] = [];
  if (main.exitCode !== 1) problems.push(`main exited ${main.exitCode}, not 1`);
  const errors = errorMessages(main);
  if (!errors.some((message) => message.includes(canaryPaths.acl) && /permission denied|not allowed|denied/i.test(message))) problems.push("no error line names the refused path");
  exportedNothing(main, job.runnerTemp, problems);
  const token = main.state.get("token");
  const post = await runPost(context, job, inputs, main);
  if (post.exitCode !== 0) problems.push(`post exited ${post.exitCode}`);
  if (token && (await tokenStatus(context, token)) !== 403) problems.push("post did not revoke the token of the failed main");
  return {
    flow: "ACL-refused read",
    tried: "read refused by the ACL: role canary-reader asks for a path its policy does not grant (and one it does)",
    problems,
    summary: "read refused with the path named, nothing exported (not even the path that could be read), token revoked by post",
    // The granted path was read but never exported: its canaries must not show either.
    canaries: [...seeds.acl, ...seeds.post],
    sources: allSources(main, post),
  };
}

/** A successful fetch of canaries, then the post step: its output, the file, the token. */
export async function postStep(context: Context, seeds: CanarySeeds): Promise<FlowResult> {
  const job = await newJob(context);
  const inputs = inputsFor(context, readerRole.role, [`${canaryPaths.post} * | POST_`]);
  const main = await runMain(context, job, readerRole.claims, inputs);
  const problems: string[] = [];
  if (main.exitCode !== 0) problems.push(`main exited ${main.exitCode}`);
  const token = main.state.get("token");
  if (!token) problems.push("main saved no token for post");
  const file = main.outputs.get("file");
  const post = await runPost(context, job, inputs, main);
  if (post.exitCode !== 0) problems.push(`post exited ${post.exitCode}`);
  if (file && existsSync(file)) problems.push("the export file is still there after post");
  if (token && (await tokenStatus(context, token)) !== 403) problems.push("the token still works after post");
  const postOnly = [...printedSources(post, "post"), ...stepFileSources(post, "post")];
  if (token) {
    const tokenParts = partsOf(token, []);
    for (const leak of scanFor(context, tokenParts, postOnly)) problems.push(`the Vault token: ${leak.replace("the whole value", "token")}`);
  }
  return {
    flow: "post step",
    tried: "post step after a fetch of canaries (env, outputs, dotenv file)",
    problems,
    summary: "post deleted the file and revoked the token; its output holds no canary and no token",
    canaries: seeds.post,
    sources: allSources(main, post),
  };
}

/** Canaries written by root, read by the Action, and written again by the Action's token (refused). */
export async function auditFlow(context: Context, seeds: CanarySeeds): Promise<FlowResult> {
  const job = await newJob(context);
  const inputs = inputsFor(context, readerRole.role, [`${canaryPaths.audit} * | AUDIT_`], "secrets.json");
  const main = await runMain(context, job, readerRole.claims, inputs);
  const problems: string[] = [];
  if (main.exitCode !== 0) problems.push(`main exited ${main.exitCode}`);
  const token = main.state.get("token");
  let refusedWrite = false;
  if (token) {
    const response = await fetch(`${context.backend.info.vault.addr}/v1/${canaryPaths.audit}`, {
      method: "POST",
      headers: { "X-Vault-Token": token, "Content-Type": "application/json" },
      body: JSON.stringify({ data: data(seeds.auditWrite) }),
    });
    const text = await response.text();
    refusedWrite = response.status === 403;
    if (!refusedWrite) problems.push(`a write with a read-only token answered ${response.status}, not 403`);
    if (seeds.auditWrite.some((canary) => text.includes(canary.value))) problems.push("the refused write's answer echoes the canary");
  } else problems.push("main saved no token");
  const post = await runPost(context, job, inputs, main);
  if (post.exitCode !== 0) problems.push(`post exited ${post.exitCode}`);

  // The log must show that the canaries went through audited requests, as HMACs only. (Whether a
  // canary itself is in the log is checked at the end, with every other flow's canaries.)
  const auditText = readFileSync(context.auditLog, "utf8");
  const onPath = auditText.split("\n").flatMap((line) => {
    try {
      const entry = JSON.parse(line) as { error?: string; request?: { path?: string; operation?: string } };
      return entry.request?.path === canaryPaths.audit ? [entry] : [];
    } catch {
      return [];
    }
  });
  if (!onPath.some((entry) => entry.request?.operation === "read")) problems.push("the audit log has no read of the canary path");
  if (!onPath.some((entry) => entry.request?.operation !== "read" && entry.error === undefined)) problems.push("the audit log has no write of the canaries");
  if (refusedWrite && !onPath.some((entry) => entry.request?.operation !== "read" && entry.error !== undefined)) problems.push("the audit log does not record the refused write");
  const canaries = [...seeds.audit, ...seeds.auditWrite];
  // Asked only now: the hash request itself is audited (with its input as an HMAC).
  for (const canary of canaries) {
    const { data: hashed } = (await vaultRequest(context.admin, "POST", "sys/audit-hash/file", { input: canary.value })) as { data: { hash: string } };
    if (!auditText.includes(hashed.hash)) problems.push(`${canary.flow} ${canary.label}: its HMAC is not in the audit log`);
  }
  return {
    flow: "audit log",
    tried: "audit log: canaries written by root, read by the Action, written again by its read-only token (refused)",
    problems,
    summary: `the log records the write, the read and the refused write (${onPath.length} entries on the path), the canaries only as HMACs`,
    canaries,
    sources: allSources(main, post),
  };
}
