// vault-action's errorMessage output, for a step written for vault-action: the failure as a step
// output, for a later `if: failure()` step. Our error lines never hold a secret value. Keybridge's
// own steps keep their promise that a failed step writes no output at all.
import { fetchStepVocabulary } from "./inputs.ts";
import { getInput, setOutput } from "./runner-protocol/file-commands.ts";

export function setErrorMessage(message: string): void {
  try {
    if (getInput("mode") === "plan" || fetchStepVocabulary() !== "vault-action") return;
    setOutput("errorMessage", message);
  } catch {
    // Without GITHUB_OUTPUT there is nowhere to put it; the annotation still reports the failure.
  }
}
