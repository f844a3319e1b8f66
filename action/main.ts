// The Action's main step. In fetch mode the inputs are checked first, with nothing but zod loaded;
// the HTTP code is loaded only for a valid configuration, so a mistake fails fast with one line.
// Plan mode loads its own code (policy diff, GitHub client), which fetch never loads.
import { describeError } from "../policy/errors/keybridge-error.ts";
import { readFetchInputs } from "./inputs.ts";
import { getInput } from "./runner-protocol/file-commands.ts";
import { error } from "./runner-protocol/workflow-commands.ts";

async function main(): Promise<void> {
  if (getInput("mode") === "plan") {
    const [{ readPlanInputs }, { runPlan }] = await Promise.all([import("./plan/plan-inputs.ts"), import("./plan/run-plan.ts")]);
    return runPlan(readPlanInputs());
  }
  const inputs = readFetchInputs();
  const { fetchSecrets } = await import("./fetch.ts");
  await fetchSecrets(inputs);
}

main().catch((failure: unknown) => {
  // One annotation, however many lines: the runner keeps an escaped line break inside it.
  error(describeError(failure));
  process.exitCode = 1;
});
