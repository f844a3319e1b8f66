// `keybridge check`: the access invariants (built-in KB2xx and the team's own in
// keybridge.checks.yml) over a policy document or a Terraform configuration. Exit 2 on a finding
// at or above --fail-on, so CI can gate on it.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { ChecksFile } from "../policy/access/invariants/declared.ts";
import { runChecks } from "../policy/access/invariants/check.ts";
import { renderChecks } from "../policy/access/invariants/render.ts";
import { atLeast, isLevel, levels } from "../policy/risk/level.ts";
import { jsonPath } from "../policy/load.ts";
import { loadAccessGraph } from "./access/load-graph.ts";
import { UsageError } from "./usage-error.ts";

export const checkHelp = `Usage: keybridge check [--from PATH] [--rules FILE] [flags]

Checks the built-in access invariants (KB201–KB204) and the rules of keybridge.checks.yml over
a policy document or a Terraform configuration. Each finding names the path, the principal and
the role → policy → rule chain that grants it.

Flags:
  --from PATH          the configuration (default: the current directory)
  --rules FILE         the checks file (default: keybridge.checks.yml beside --from, if any)
  --format F           text (default) or json
  --fail-on LEVEL      exit 2 on a finding of ${levels.join(", ")} or worse (default: high)
  --var NAME=VALUE     a Terraform input variable (repeatable); --var-file FILE likewise
`;

export async function checkCommand(argv: readonly string[], write = (text: string) => process.stdout.write(text)): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      from: { type: "string" }, rules: { type: "string" }, format: { type: "string" }, "fail-on": { type: "string" },
      var: { type: "string", multiple: true }, "var-file": { type: "string", multiple: true },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; see keybridge check --help`);
  const format = values.format ?? "text";
  if (format !== "text" && format !== "json") throw new UsageError(`--format ${format} is not supported; use text or json`);
  const failOn = values["fail-on"] ?? "high";
  if (!isLevel(failOn)) throw new UsageError(`--fail-on ${failOn} is not a level; use one of ${levels.join(", ")}`);
  const from = values.from ?? ".";
  const { graph, warnings } = await loadAccessGraph(from, { vars: values.var ?? [], varFiles: values["var-file"] ?? [] });
  for (const warning of [...warnings, ...graph.problems]) process.stderr.write(`keybridge check: warning: ${warning}\n`);
  const result = runChecks(graph, readChecksFile(values.rules, from));
  write(renderChecks(result, format));
  return result.findings.some((finding) => atLeast(finding.level, failOn)) ? 2 : 0;
}

function readChecksFile(given: string | undefined, from: string): ChecksFile | undefined {
  const path = given ?? [join(from, "keybridge.checks.yml"), join(from, "keybridge.checks.yaml"), join(from, "keybridge.checks.json")].find((candidate) => existsSync(candidate));
  if (path === undefined) return undefined;
  if (!existsSync(path)) throw new UsageError(`--rules ${path} does not exist`);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, "utf8"));
  } catch (error) {
    throw new UsageError(`${path} is not YAML or JSON: ${(error as Error).message.split("\n")[0]}`);
  }
  const parsed = ChecksFile.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`${path}: ${jsonPath(issue.path)}: ${issue.message}`);
  }
  return parsed.data;
}
