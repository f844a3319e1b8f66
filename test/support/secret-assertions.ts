// Assertions about secret values in what a step printed: registered as masks, and never shown.
import assert from "node:assert/strict";
import { parseWorkflowCommand } from "../../testkit/runner-emulator/workflow-commands.ts";
import type { StepResult } from "../../testkit/runner-emulator/job.ts";

/** The value and every line of it that the Action promises to mask (lines of two characters or more). */
export function maskableParts(value: string): string[] {
  const lines = value.split(/\r\n|\r|\n/).filter((line) => line.trim().length >= 2);
  return [...new Set([value, ...lines])];
}

/** Lines of stdout/stderr that are not ::add-mask:: registrations, the only place a value may be. */
function printedText(step: StepResult): string {
  const stdout = step.stdout.split("\n").filter((line) => parseWorkflowCommand(line)?.command !== "add-mask");
  return `${stdout.join("\n")}\n${step.stderr}`;
}

export function assertNeverPrinted(step: StepResult, values: readonly string[], where = "stdout/stderr"): void {
  const text = printedText(step);
  for (const value of values) {
    for (const part of maskableParts(value)) {
      assert.ok(!text.includes(part), `a secret value (or a line of one, ${part.length} chars) appears in ${where}`);
    }
  }
}

/** Every value and line is registered before the first log line that reports an export. */
export function assertMaskedBeforeExport(step: StepResult, values: readonly string[]): void {
  const lines = step.stdout.split("\n");
  const exportLine = lines.findIndex((line) => parseWorkflowCommand(line) === undefined && /export/i.test(line));
  assert.ok(exportLine >= 0, "the Action logs no line about what it exported");
  const registeredBefore = new Set(
    lines.slice(0, exportLine).flatMap((line) => {
      const command = parseWorkflowCommand(line);
      return command?.command === "add-mask" ? [command.data] : [];
    }),
  );
  for (const value of values) {
    for (const part of maskableParts(value)) {
      assert.ok(registeredBefore.has(part), `a secret value or line (${part.length} chars) was not masked before the export line`);
    }
  }
}
