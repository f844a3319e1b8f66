// The Action's plan mode on two hand-written Terraform configurations, bundle as a process: the
// Terraform reader and hcl2json's WebAssembly are loaded from dist/ alone, the access graphs are
// compared, and the plan is posted as the sticky comment and the job summary.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LocalJob, type StepResult } from "../../testkit/runner-emulator/job.ts";

const mainScript = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
const secretValue = "hunter2-never-printed";

/** A JWT role and a policy per repository (for_each), the policy a heredoc; `extraRule` widens it. */
function configuration(extraRule: string): string {
  return `variable "repositories" {
  type    = set(string)
  default = ["acme/api", "acme/web"]
}

locals {
  audience = "https://github.com/acme"
}

resource "vault_jwt_auth_backend" "github" {
  path               = "jwt"
  oidc_discovery_url = "https://token.actions.githubusercontent.com"
  bound_issuer       = "https://token.actions.githubusercontent.com"
}

resource "vault_policy" "ci" {
  for_each = var.repositories
  name     = "ci-\${replace(each.key, "/", "-")}"
  policy   = <<-EOT
    path "secret/data/ci/\${each.key}/*" {
      capabilities = ["read"]
    }
${extraRule}  EOT
}

resource "vault_jwt_auth_backend_role" "ci" {
  for_each        = var.repositories
  backend         = vault_jwt_auth_backend.github.path
  role_name       = "ci-\${replace(each.key, "/", "-")}"
  role_type       = "jwt"
  user_claim      = "repository"
  bound_audiences = [local.audience]
  bound_claims    = { repository = each.key }
  token_policies  = [vault_policy.ci[each.key].name]
  token_ttl       = 900
}

resource "vault_kv_secret_v2" "db" {
  mount     = "secret"
  name      = "prod/db"
  data_json = jsonencode({ password = "${secretValue}" })
}
`;
}

const prodRule = `    path "secret/data/prod/*" {
      capabilities = ["read"]
    }
`;

let github: Server;
const posted: string[] = [];
let job: LocalJob;
let env: Record<string, string>;

before(async () => {
  github = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const reply = (status: number, json: unknown) => response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(json));
      if (request.url?.startsWith("/repos/acme/infra/issues/3/comments")) {
        if (request.method === "GET") return reply(200, []);
        if (request.method === "POST") {
          posted.push(JSON.parse(body).body);
          return reply(201, { id: posted.length, html_url: `https://github.example/acme/infra/pull/3#issuecomment-${posted.length}` });
        }
      }
      reply(404, { message: "Not Found" });
    });
  });
  await new Promise<void>((resolve) => github.listen(0, "127.0.0.1", resolve));

  job = await LocalJob.create();
  for (const [dir, extra] of [["base/infra", ""], ["infra", prodRule]] as const) {
    mkdirSync(join(job.workspace, dir), { recursive: true });
    writeFileSync(join(job.workspace, dir, "main.tf"), configuration(extra));
  }
  const eventPath = join(job.root, "event.json");
  writeFileSync(eventPath, JSON.stringify({ pull_request: { number: 3 } }));
  env = {
    GITHUB_API_URL: `http://127.0.0.1:${(github.address() as AddressInfo).port}`,
    GITHUB_REPOSITORY: "acme/infra",
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: eventPath,
  };
});

after(async () => {
  await job.dispose();
  github.closeAllConnections();
  await new Promise((resolve) => github.close(resolve));
});

function planStep(inputs: Record<string, string>): Promise<StepResult> {
  return job.runStep(mainScript, {
    inputs: { mode: "plan", base: join(job.workspace, "base/infra"), head: join(job.workspace, "infra"), "github-token": "ghs_test_token", ...inputs },
    env,
  });
}

describe("plan mode on Terraform configurations, end to end", () => {
  it("names the gained access and the broken invariants, sets the outputs and fails at fail-on", async () => {
    const step = await planStep({ "fail-on": "high" });
    assert.equal(step.exitCode, 1, step.stdout + step.stderr);
    const errors = step.stdout.split("\n").filter((line) => line.startsWith("::error::"));
    assert.equal(errors.length, 1, step.stdout);
    assert.match(errors[0]!, /^::error::KB_PLAN_RISK: The change breaks a critical access invariant \(fail-on: high\)/);

    assert.match(step.summary, /^<!-- keybridge-plan:infra -->/);
    assert.match(step.summary, /Access gained \(2\)/);
    assert.match(step.summary, /acme\/api → auth\/jwt\/role\/ci&#45;acme&#45;api → read secret\/data\/prod\/db/);
    assert.match(step.summary, /`KB201`/);
    assert.match(step.summary, /`KB202`/);
    assert.equal(posted.length, 1);
    assert.equal(posted[0], step.summary.trimEnd() + "\n");

    assert.equal(step.outputs.get("risk"), "critical");
    assert.equal(step.outputs.get("changes"), "2");
    assert.deepEqual(JSON.parse(step.outputs.get("findings")!), { critical: 2, high: 2, medium: 0, low: 0, info: 0 });
    assert.equal(step.outputs.get("comment-url"), "https://github.example/acme/infra/pull/3#issuecomment-1");
    const planDir = step.outputs.get("plan-dir")!;
    assert.deepEqual(readdirSync(planDir).sort(), ["plan.json", "plan.md", "plan.txt"]);

    const everything = [step.stdout, step.stderr, step.summary, ...posted, ...readdirSync(planDir).map((file) => readFileSync(join(planDir, file), "utf8"))];
    for (const text of everything) assert.ok(!text.includes(secretValue), "no secret value in logs, summary, comment or plan files");
  });

  it("passes below fail-on, and a base of none compares against nothing", async () => {
    const step = await planStep({ base: "none", "fail-on": "never", comment: "false" });
    assert.equal(step.exitCode, 0, step.stdout + step.stderr);
    assert.equal(step.outputs.get("risk"), "critical");
    assert.match(step.summary, /Access gained \(4\)/);
  });

  it("fails with one line naming the input when the HCL does not parse", async () => {
    mkdirSync(join(job.workspace, "broken"));
    writeFileSync(join(job.workspace, "broken", "main.tf"), 'resource "vault_policy" "x" {\n  name = \n}\n');
    const step = await planStep({ head: join(job.workspace, "broken"), "fail-on": "never" });
    assert.equal(step.exitCode, 1);
    const errors = step.stdout.split("\n").filter((line) => line.startsWith("::error::"));
    assert.equal(errors.length, 1, step.stdout);
    assert.match(errors[0]!, /^::error::KB_INPUT_INVALID: Input head .*broken: .*main\.tf/);
  });
});
