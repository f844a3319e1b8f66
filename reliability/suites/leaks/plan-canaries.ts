// `keybridge plan` on two policy documents and a `terraform show -json` file that holds canaries
// where Terraform really puts secret values: `variables`, the `after` (and `before`) of a
// vault_kv_secret_v2, attributes marked sensitive, planned values, prior state, drift, outputs.
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Canary, FlowResult } from "./canaries.ts";
import { makeCanaries } from "./canaries.ts";
import type { Context } from "./context.ts";
import { keybridgeCommandLine } from "../../../testkit/keybridge-process.ts";


function policyDocument(widened: boolean): unknown {
  const principal = (ref: string, match: "exact" | "glob") => ({
    kind: "github-oidc", issuer: "github", audience: "https://github.com/acme", claims: { repository: ["acme/payments"], ref: [ref] }, match,
  });
  const grant = (id: string, environment: string, ref: string, match: "exact" | "glob") => ({
    id, principal: principal(ref, match), environment, paths: ["database"], capabilities: ["read"], tokenTtlSeconds: 600, tokenMaxTtlSeconds: 900, acknowledgements: [],
  });
  return {
    version: 1,
    backend: { type: "vault", mount: "secret", authPath: "jwt" },
    issuers: [{ name: "github", url: "https://token.actions.githubusercontent.com" }],
    projects: [{
      name: "payments",
      environments: [{ name: "dev", protected: false }, { name: "prod", protected: true }],
      secrets: [{ name: "database", keys: ["password", "username"] }],
      grants: widened
        ? [grant("ci-dev-read", "dev", "refs/heads/*", "glob"), grant("ci-prod-read", "prod", "refs/heads/*", "glob")]
        : [grant("ci-prod-read", "prod", "refs/heads/main", "exact")],
    }],
  };
}

/** A plan in `terraform show -json` format 1.2, with a canary in every place that holds values. */
function terraformPlan(c: readonly Canary[]): unknown {
  const v = (i: number) => c[i % c.length]!.value;
  const kvData = (value: string) => JSON.stringify({ password: value, username: "payments_app" });
  return {
    format_version: "1.2",
    terraform_version: "1.11.4",
    variables: { vault_token: { value: v(0) }, db_password: { value: v(1) }, tls_key: { value: v(2) } },
    planned_values: {
      root_module: {
        resources: [{
          address: "vault_kv_secret_v2.payments_prod_database", mode: "managed", type: "vault_kv_secret_v2", name: "payments_prod_database",
          values: { mount: "secret", name: "payments/prod/database", data_json: kvData(v(3)) }, sensitive_values: { data_json: true },
        }],
      },
    },
    prior_state: { values: { root_module: { resources: [{ address: "vault_kv_secret_v2.payments_prod_database", values: { data_json: kvData(v(4)) } }] } } },
    resource_drift: [{
      address: "vault_kv_secret_v2.payments_prod_database", mode: "managed", type: "vault_kv_secret_v2", name: "payments_prod_database",
      change: { actions: ["update"], before: { data_json: kvData(v(4)) }, after: { data_json: kvData(v(5)) } },
    }],
    resource_changes: [
      {
        address: "vault_kv_secret_v2.payments_prod_database", mode: "managed", type: "vault_kv_secret_v2", name: "payments_prod_database",
        change: {
          actions: ["update"],
          before: { mount: "secret", name: "payments/prod/database", data_json: kvData(v(4)) },
          after: { mount: "secret", name: "payments/prod/database", data_json: kvData(v(3)) },
          after_unknown: {}, before_sensitive: { data_json: true }, after_sensitive: { data_json: true },
        },
      },
      {
        // A secret resource whose masks (wrongly) mark nothing: still never shown.
        address: "vault_kv_secret_v2.payments_dev_database", mode: "managed", type: "vault_kv_secret_v2", name: "payments_dev_database",
        change: { actions: ["create"], before: null, after: { mount: "secret", name: "payments/dev/database", data_json: kvData(v(6)) }, after_unknown: { id: true }, before_sensitive: false, after_sensitive: {} },
      },
      {
        address: "vault_jwt_auth_backend.github", mode: "managed", type: "vault_jwt_auth_backend", name: "github",
        change: {
          actions: ["update"],
          before: { path: "jwt", oidc_client_secret: v(7), description: "GitHub Actions" },
          after: { path: "jwt", oidc_client_secret: v(8), description: "GitHub Actions" },
          after_unknown: {}, before_sensitive: { oidc_client_secret: true }, after_sensitive: { oidc_client_secret: true },
        },
      },
      {
        // A nested sensitive attribute, marked below the top level.
        address: "vault_approle_auth_backend_role_secret_id.deployer", mode: "managed", type: "vault_approle_auth_backend_role_secret_id", name: "deployer",
        change: {
          actions: ["delete", "create"],
          before: { role_name: "deployer", secret_id: v(9), metadata: { note: v(10) } },
          after: { role_name: "deployer", secret_id: v(11), metadata: { note: v(10) } },
          after_unknown: {}, before_sensitive: { secret_id: true, metadata: { note: true } }, after_sensitive: { secret_id: true, metadata: { note: true } },
          replace_paths: [["secret_id"]],
        },
      },
      {
        // Not marked sensitive at all: the plan still shows names of changed attributes, never values.
        address: "vault_policy.payments_ci", mode: "managed", type: "vault_policy", name: "payments_ci",
        change: {
          actions: ["update"],
          before: { name: "payments-ci", policy: "path \"secret/data/payments/prod/*\" { capabilities = [\"read\"] }\n" },
          after: { name: "payments-ci", policy: `# ${v(12)}\npath "secret/data/payments/*" { capabilities = ["read"] }\n` },
          after_unknown: {}, before_sensitive: {}, after_sensitive: {},
        },
      },
    ],
    output_changes: { db_url: { actions: ["update"], before: v(13), after: v(14), after_unknown: false, before_sensitive: true, after_sensitive: true } },
    configuration: { root_module: { variables: { vault_token: { sensitive: true, default: v(15) } } } },
  };
}

export interface PlanFixture {
  readonly base: string;
  readonly head: string;
  readonly terraformPlan: string;
  readonly canaries: readonly Canary[];
}

export function writePlanFixture(dir: string): PlanFixture {
  const canaries = [...makeCanaries("plan-a"), ...makeCanaries("plan-b"), ...makeCanaries("plan-c"), ...makeCanaries("plan-d"), ...makeCanaries("plan-e"), ...makeCanaries("plan-f"), ...makeCanaries("plan-g"), ...makeCanaries("plan-h")];
  const files = { base: join(dir, "base.policy.json"), head: join(dir, "head.policy.json"), terraformPlan: join(dir, "plan.json") };
  writeFileSync(files.base, JSON.stringify(policyDocument(false), null, 2));
  writeFileSync(files.head, JSON.stringify(policyDocument(true), null, 2));
  writeFileSync(files.terraformPlan, JSON.stringify(terraformPlan(canaries), null, 2));
  return { ...files, canaries };
}

function keybridge(args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const keybridge = keybridgeCommandLine(args);
    execFile(keybridge.command, keybridge.args, { cwd, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof (error as { code?: unknown }).code === "number" ? (error as { code: number }).code : 1) : 0, stdout, stderr });
    });
  });
}

export async function planFlow(context: Context, fixture: PlanFixture, format: "markdown" | "text" | "json"): Promise<FlowResult> {
  const result = await keybridge(["plan", "--base", fixture.base, "--head", fixture.head, "--terraform-plan", fixture.terraformPlan, "--format", format], context.work);
  const problems: string[] = [];
  if (result.code !== 0) problems.push(`keybridge plan exited ${result.code}: ${result.stderr.split("\n")[0]?.slice(0, 200) ?? ""}`);
  if (!result.stdout.includes("vault_kv_secret_v2")) problems.push("the plan does not mention the terraform plan's vault_kv_secret_v2 change, so the file was not summarized");
  if (format === "json") {
    try {
      JSON.parse(result.stdout);
    } catch {
      problems.push("--format json did not print JSON");
    }
  }
  return {
    flow: `plan ${format}`,
    tried: `keybridge plan --format ${format}: two policy documents and a terraform show -json file with ${fixture.canaries.length} canaries (variables, kv after/before, sensitive attributes, outputs, state, drift)`,
    problems,
    summary: `plan printed (${result.stdout.length} characters), with the terraform changes by name only`,
    canaries: fixture.canaries,
    sources: [{ where: `plan ${format} stdout`, text: result.stdout }, { where: `plan ${format} stderr`, text: result.stderr }],
  };
}
