// The Action's main step. Inputs are checked first, with nothing but zod loaded; the HTTP code is
// loaded only for a valid configuration, so a mistake fails fast with one line.
import { describeError } from "./errors.ts";
import { readFetchInputs } from "./inputs.ts";
import { error } from "./runner/workflow-commands.ts";

async function main(): Promise<void> {
  const inputs = readFetchInputs();
  const { fetchSecrets } = await import("./fetch.ts");
  await fetchSecrets(inputs);
}

main().catch((failure: unknown) => {
  for (const line of describeError(failure).split("\n")) error(line);
  process.exitCode = 1;
});
