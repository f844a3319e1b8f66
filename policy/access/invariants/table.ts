// docs/INVARIANTS.md, generated from the invariant objects so the documentation cannot drift from
// the code (a test compares the two).
import type { Invariant } from "./invariant.ts";
import { builtInInvariants } from "./rules.ts";
import { defaultSettings } from "./invariant.ts";

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");

export function renderInvariantTable(invariants: readonly Invariant[] = builtInInvariants): string {
  return [
    "# Access invariants",
    "",
    "<!-- Generated from policy/access/invariants by renderInvariantTable(); edit the rules, then run",
    "     UPDATE_SNAPSHOTS=1 node scripts/test.mjs test/policy/access/invariants-doc.test.ts -->",
    "",
    "`keybridge check` evaluates these over the access graph of a policy document or a Terraform",
    "configuration, and `keybridge plan` reports the ones a change breaks or mends. IDs are stable.",
    `Protected paths default to those with a \`prod\`, \`production\` or \`prd\` segment (${defaultSettings.protectedPaths.map((glob) => `\`${glob}\``).join(", ")})`,
    "or, for a policy document, its protected environments; the token lifetime limit defaults to",
    `${defaultSettings.maxTtlSeconds} s. \`keybridge.checks.yml\` beside the configuration changes both, adds rules of the team's own`,
    "and records exceptions, each with a reason:",
    "",
    "```yaml",
    "protected: [\"secret/data/*/prod/*\"]",
    "maxTtlSeconds: 900",
    "rules:",
    "  - id: ACME001",
    "    level: high",
    "    title: Only the deploy workflow reads production",
    "    paths: [\"secret/data/*/prod/*\"]",
    "    onlyFrom: { job_workflow_ref: [\"acme/deploy/.github/workflows/deploy.yml@refs/heads/main\"] }",
    "exceptions:",
    "  - { rule: KB204, role: auth/jwt/role/nightly, reason: \"the nightly export runs for two hours\" }",
    "```",
    "",
    "| ID | Level | Invariant | Why it matters |",
    "|---|---|---|---|",
    ...invariants.map((invariant) => `| ${invariant.id} | ${invariant.level} | ${cell(invariant.title)} | ${cell(invariant.why)} |`),
    "",
  ].join("\n");
}
