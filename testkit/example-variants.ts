// Variants of examples/ml-platform for the demo and the tests: the platform declaration with a
// textual change, and an app that synthesizes it (on Vault unless told). Written beside the example
// (its imports are relative) under names git ignores, and removed by the returned function.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = (name: string) => fileURLToPath(new URL(`../examples/ml-platform/${name}`, import.meta.url));

/** The production grant of acme/training widened to every branch, without a GitHub environment. */
export const widenProductionGrant = (source: string) =>
  source.replace('{ ref: "refs/heads/main", environment: "prod", runner: "self-hosted" }', '{ refPattern: "refs/heads/*", runner: "self-hosted" }');

export function writeVariant(name: string, edit: (platformSource: string) => string, appFile: "main.ts" | "infisical.ts" = "main.ts"): { app: string; remove: () => void } {
  const original = readFileSync(here("./platform.ts"), "utf8");
  const changed = edit(original);
  if (changed === original) throw new Error(`variant ${name} changes nothing: the example changed; update testkit/example-variants.ts`);
  const platform = here(`./platform.${name}.test-tmp.ts`);
  const app = here(`./main.${name}.test-tmp.ts`);
  writeFileSync(platform, changed);
  writeFileSync(app, readFileSync(here(`./${appFile}`), "utf8").replace('from "./platform.ts"', `from "./platform.${name}.test-tmp.ts"`));
  return { app, remove: () => [platform, app].forEach((file) => rmSync(file, { force: true })) };
}
