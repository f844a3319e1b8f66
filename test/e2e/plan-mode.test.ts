// The Action's plan mode, bundle as a process, against a local server that answers the GitHub REST
// calls it makes: one sticky comment per stack, created once and then updated in place.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LocalJob } from "../../testkit/runner-emulator/job.ts";

const mainScript = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
const basePolicy = readFileSync(new URL("../provider/__snapshots__/ml-training.policy.json", import.meta.url), "utf8");

interface Comment { id: number; body: string; user: { login: string } }

let github: Server;
let apiUrl: string;
const comments: Comment[] = [];
const calls: string[] = [];
let job: LocalJob;
let env: Record<string, string>;

/** The head: the prod grant of acme/training now matches any branch and no GitHub environment. */
function widenedPolicy(): string {
  const document = JSON.parse(basePolicy);
  const grant = document.projects[0].grants.find((g: { id: string }) => g.id === "acme-training-prod-read");
  grant.principal.claims = { ref: ["refs/heads/*"], repository: ["acme/training"], runner_environment: ["self-hosted"] };
  grant.principal.match = "glob";
  return JSON.stringify(document, null, 2);
}

before(async () => {
  // 120 comments from others first, so the marker must be found on the second page.
  for (let id = 1; id <= 120; id++) comments.push({ id, body: `review comment ${id}`, user: { login: "someone" } });
  github = createServer((request, response) => {
    const url = new URL(request.url!, "http://x");
    calls.push(`${request.method} ${url.pathname}${url.search}`);
    assert.equal(request.headers.authorization, "token ghs_test_token");
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const reply = (status: number, json: unknown, headers: Record<string, string> = {}) =>
        response.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(json));
      const html = (id: number) => `https://github.example/acme/secrets/pull/7#issuecomment-${id}`;
      if (request.method === "GET" && url.pathname === "/repos/acme/secrets/issues/7/comments") {
        const page = Number(url.searchParams.get("page") ?? "1");
        const perPage = Number(url.searchParams.get("per_page") ?? "30");
        const slice = comments.slice((page - 1) * perPage, page * perPage).map((c) => ({ ...c, html_url: html(c.id) }));
        const last = Math.max(1, Math.ceil(comments.length / perPage));
        const link: Record<string, string> = page < last ? { link: `<${apiUrl}/repos/acme/secrets/issues/7/comments?per_page=${perPage}&page=${page + 1}>; rel="next"` } : {};
        return reply(200, slice, link);
      }
      if (request.method === "POST" && url.pathname === "/repos/acme/secrets/issues/7/comments") {
        const comment = { id: 1000 + comments.length, body: JSON.parse(body).body, user: { login: "github-actions[bot]" } };
        comments.push(comment);
        return reply(201, { ...comment, html_url: html(comment.id) });
      }
      const update = /^\/repos\/acme\/secrets\/issues\/comments\/(\d+)$/.exec(url.pathname);
      if (request.method === "PATCH" && update) {
        const comment = comments.find((c) => c.id === Number(update[1]));
        if (!comment) return reply(404, { message: "Not Found" });
        comment.body = JSON.parse(body).body;
        return reply(200, { ...comment, html_url: html(comment.id) });
      }
      reply(404, { message: "Not Found" });
    });
  });
  await new Promise<void>((resolve) => github.listen(0, "127.0.0.1", resolve));
  apiUrl = `http://127.0.0.1:${(github.address() as AddressInfo).port}`;

  job = await LocalJob.create();
  for (const [dir, text] of [["base", basePolicy], ["head", widenedPolicy()]] as const) {
    mkdirSync(join(job.workspace, dir, "stacks", "secrets"), { recursive: true });
    writeFileSync(join(job.workspace, dir, "stacks", "secrets", "keybridge.policy.json"), text);
  }
  const eventPath = join(job.root, "event.json");
  writeFileSync(eventPath, JSON.stringify({ pull_request: { number: 7 } }));
  env = {
    GITHUB_API_URL: apiUrl,
    GITHUB_SERVER_URL: "https://github.example",
    GITHUB_REPOSITORY: "acme/secrets",
    GITHUB_RUN_ID: "4242",
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: eventPath,
  };
});

after(async () => {
  await job.dispose();
  github.closeAllConnections();
  await new Promise((resolve) => github.close(resolve));
});

function planStep(extra: Record<string, string> = {}) {
  return job.runStep(mainScript, {
    inputs: {
      mode: "plan",
      base: join(job.workspace, "base"),
      head: join(job.workspace, "head"),
      "github-token": "ghs_test_token",
      "fail-on": "never",
      ...extra,
    },
    env,
  });
}

const ours = () => comments.filter((c) => c.body.startsWith("<!-- keybridge-plan:secrets -->"));

describe("plan mode, end to end", () => {
  it("posts one sticky comment, then updates it in place on the next run", async () => {
    const first = await planStep();
    assert.equal(first.exitCode, 0, first.stdout + first.stderr);
    assert.equal(ours().length, 1);
    assert.match(ours()[0]!.body, /\*\*CRITICAL:\*\* `acme\/training` on any branch may now read/);
    assert.equal(first.outputs.get("risk"), "critical");
    assert.equal(first.outputs.get("comment-url"), `https://github.example/acme/secrets/pull/7#issuecomment-${ours()[0]!.id}`);
    assert.match(first.summary, /keybridge-plan:secrets/);
    assert.ok(calls.some((call) => call.includes("page=2")), "the list was paginated");

    calls.length = 0;
    const second = await planStep();
    assert.equal(second.exitCode, 0);
    assert.equal(ours().length, 1, "the second run must update the first comment, never add another");
    assert.ok(calls.some((call) => call.startsWith("PATCH /repos/acme/secrets/issues/comments/")));
    assert.ok(!calls.some((call) => call.startsWith("POST")));
    assert.equal(comments.filter((c) => c.user.login === "someone" && c.body.startsWith("review comment")).length, 120, "nobody else's comment is touched");
  });

  it("fails the step with one line when an unacknowledged risk reaches fail-on", async () => {
    const step = await planStep({ "fail-on": "high" });
    assert.equal(step.exitCode, 1);
    const errors = step.stdout.split("\n").filter((line) => line.startsWith("::error::"));
    assert.deepEqual(errors.length, 1);
    assert.match(errors[0]!, /^::error::KB_PLAN_RISK: .*unacknowledged critical risk \(fail-on: high\)/);
  });

  it("writes the summary and still passes when the token cannot comment", async () => {
    const step = await planStep({ "github-token": "" });
    assert.equal(step.exitCode, 0);
    assert.match(step.stdout, /Skipping the pull request comment: github-token is empty/);
    assert.match(step.summary, /CRITICAL/);
  });

  it("fails with one line naming the input when head is missing", async () => {
    const step = await planStep({ head: join(job.workspace, "nope") });
    assert.equal(step.exitCode, 1);
    assert.match(step.stdout, /::error::KB_INPUT_INVALID: Input head .*nope: does not exist/);
  });
});
