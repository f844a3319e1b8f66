// DESIGN.md's import rules, checked: every .ts file's imports (static and dynamic) and the bin/
// files it starts, against the table in rooms.ts. A backwards arrow fails with the file, the import
// and the rule it breaks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { readArrows, type Arrow } from "./read-imports.ts";
import { cdkModule, cdkPackage, knownViolations, roomRules, rooms, type Room } from "./rooms.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const skipped = new Set(["node_modules", "dist", ".git", "cdktf.out", ".tmp"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (skipped.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [relative(root, path).split("\\").join("/")] : [];
  });
}

const roomOf = (path: string): string => (path.includes("/") ? path.slice(0, path.indexOf("/")) : "(repository root)");
const isRoom = (name: string): name is Room => (rooms as readonly string[]).includes(name);

const files = sourceFiles(root);
const arrows = files.map((file) => ({ file, arrows: readArrows(file, readFileSync(join(root, file), "utf8")) }));

/** The broken rule for one arrow, or undefined when the table allows it. */
function breaks(from: Room, arrow: Arrow): string | undefined {
  if (arrow.target === undefined) return undefined;
  const to = roomOf(arrow.target);
  if (to === from) return undefined;
  const rule = roomRules[from];
  if (rule.mayImport.includes(to as Room)) return undefined;
  if (arrow.kind === "dynamic import" && rule.mayLoadLazily?.includes(to as Room)) return undefined;
  return `${from}/ may not ${arrow.kind === "starts" ? "start" : "import"} ${to}/: ${rule.why}`;
}

test("every source file lives in a room of the table", () => {
  const homeless = files.filter((file) => !isRoom(roomOf(file)));
  assert.deepEqual(homeless, [], `add these files' room to test/import-rules/rooms.ts with its arrows, or move them: ${homeless.join(", ")}`);
});

test("every arrow between rooms is one DESIGN.md allows", () => {
  const allowed = new Set(knownViolations.map((entry) => `${entry.from} -> ${entry.to}`));
  const used = new Set<string>();
  const problems: string[] = [];
  for (const { file, arrows: fileArrows } of arrows) {
    const from = roomOf(file);
    if (!isRoom(from)) continue;
    for (const arrow of fileArrows) {
      const broken = breaks(from, arrow);
      if (broken === undefined) continue;
      const key = `${file} -> ${arrow.target}`;
      if (allowed.has(key)) {
        used.add(key);
        continue;
      }
      problems.push(`${file}: ${arrow.kind} "${arrow.specifier}" (${arrow.target}) breaks the rule "${broken}"`);
    }
  }
  const stale = [...allowed].filter((key) => !used.has(key)).map((key) => `known violation "${key}" no longer happens: remove it from test/import-rules/rooms.ts`);
  if (problems.length + stale.length > 0) assert.fail([...problems, ...stale].join("\n"));
});

test("in provider/, every cdktf or cdktn import goes through provider/cdk.ts", () => {
  const problems = arrows
    .filter(({ file }) => roomOf(file) === "provider" && file !== cdkModule)
    .flatMap(({ file, arrows: fileArrows }) =>
      fileArrows.filter((arrow) => cdkPackage.test(arrow.specifier)).map((arrow) => `${file}: imports "${arrow.specifier}": import it from ${cdkModule}, so cdktf and cdktn stay interchangeable`),
    );
  if (problems.length > 0) assert.fail(problems.join("\n"));
});

test("fails when dev/ starts bin/ as a process or imports action/, and names the file, the import and the rule", () => {
  const source = [
    'import { spawn } from "node:child_process";',
    'import { fetchSecrets } from "../../action/fetch.ts";',
    'const cli = fileURLToPath(new URL("../../bin/keybridge.ts", import.meta.url));',
    'const lazy = await import("../../action/plan/run-plan.ts");',
  ].join("\n");
  const lines = readArrows("dev/vault/example.ts", source).flatMap((arrow) => {
    const broken = breaks("dev", arrow);
    return broken === undefined ? [] : [`${arrow.kind} ${arrow.target}: ${broken}`];
  });
  assert.deepEqual(lines.map((line) => line.slice(0, line.indexOf(":"))), ["import action/fetch.ts", "dynamic import action/plan/run-plan.ts", "starts bin/keybridge.ts"]);
  assert.match(lines[2]!, /dev\/ may not start bin\/: dev\/ imports policy\/ and the Terraform reader at most/);
});

test("lets action/ load the Terraform reader only lazily", () => {
  const [eager, lazy] = readArrows("action/plan/run-plan.ts", 'import { read } from "../../terraform/read.ts";\nconst later = await import("../../terraform/load.ts");');
  assert.match(breaks("action", eager!) ?? "", /action\/ may not import terraform\//);
  assert.equal(breaks("action", lazy!), undefined);
});
