// The Action's main step. In fetch mode the inputs are checked first, with nothing but zod loaded;
// the HTTP code is loaded only for a valid configuration, so a mistake fails fast with one line.
// Plan and rotate modes load their own code (policy diff, GitHub client; rotation), which fetch
// never loads.
import { describeError } from "../policy/errors/keybridge-error.ts";
import { fetchStepVocabulary, readFetchInputs } from "./inputs.ts";
import { getInput, setOutput } from "./runner-protocol/file-commands.ts";
import { error } from "./runner-protocol/workflow-commands.ts";

async function main(): Promise<void> {
  if (getInput("mode") === "plan") {
    const [{ readPlanInputs }, { runPlan }] = await Promise.all([import("./plan/plan-inputs.ts"), import("./plan/run-plan.ts")]);
    return runPlan(readPlanInputs());
  }
  if (getInput("mode") === "rotate") {
    const { readRotateInputs } = await import("./rotate/rotate-inputs.ts");
    const { runRotate } = await import("./rotate/run-rotate.ts");
    return runRotate(readRotateInputs());
  }
  const inputs = readFetchInputs();
  const { fetchSecrets } = await import("./fetch.ts");
  await fetchSecrets(inputs);
}

/**
 * vault-action's errorMessage output, for a step written for vault-action: the failure as a step
 * output, for a later `if: failure()` step. Our error lines never hold a secret value. Keybridge's
 * own steps keep their promise that a failed step writes no output at all.
 */
function setErrorMessage(message: string): void {
  try {
    if (getInput("mode") === "plan" || fetchStepVocabulary() !== "vault-action") return;
    setOutput("errorMessage", message);
  } catch {
    // Without GITHUB_OUTPUT there is nowhere to put it; the annotation below still reports the failure.
  }
}

main().catch((failure: unknown) => {
  const message = describeError(failure);
  setErrorMessage(message);
  // One annotation, however many lines: the runner keeps an escaped line break inside it.
  error(message);
  process.exitCode = 1;
});
