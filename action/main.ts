// The Action's main step. In fetch mode the inputs are checked first; the HTTP code runs only for
// a valid configuration, so a mistake fails fast with one line. Fetch mode is bundled into
// dist/main.js alone; plan and rotate modes are steps of their own (policy diff, GitHub client;
// rotation), bundled apart and loaded only in their mode, which fetch never loads.
import { setErrorMessage } from "./error-message-output.ts";
import { readFetchInputs } from "./inputs.ts";
import { getInput } from "./runner-protocol/file-commands.ts";
import { printToFileDescriptor } from "./runner-protocol/workflow-commands.ts";
import { failStep } from "./step-failure.ts";

async function main(): Promise<void> {
  printToFileDescriptor();
  if (getInput("mode") === "plan") {
    const { planStep } = await import("./plan/plan-step.ts");
    return planStep();
  }
  if (getInput("mode") === "rotate") {
    const { rotateStep } = await import("./rotate/rotate-step.ts");
    return rotateStep();
  }
  const inputs = readFetchInputs();
  const { fetchSecrets } = await import("./fetch.ts");
  await fetchSecrets(inputs);
}

main().catch((failure: unknown) => failStep(failure, setErrorMessage));
