// docs/ERRORS.md, generated from the code table so the documentation cannot drift from the code
// (a test compares the two).
import { errorCodes } from "./codes.ts";

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");

export function renderErrorTable(): string {
  const rows = Object.entries(errorCodes).map(([code, entry]) => `| \`${code}\` | ${cell(entry.where)} | ${cell(entry.meaning)} | ${cell(entry.fix)} |`);
  return [
    "# Error codes",
    "",
    "<!-- Generated from policy/errors/codes.ts by renderErrorTable(); edit the table, then run",
    "     UPDATE_SNAPSHOTS=1 node scripts/test.mjs test/policy/errors/errors-doc.test.ts -->",
    "",
    "Every error line Keybridge prints starts with one of these codes: the Action's `::error::` lines,",
    "the `keybridge` command's lines (`keybridge run: KB_READ_FAILED: …`), `keybridge dev`'s start-up",
    "refusals and synth's validation errors. Codes are stable: match on them, not on the text after them.",
    "",
    "| Code | Where | Meaning | What to do |",
    "|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}
