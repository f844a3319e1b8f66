// The main step in rotate mode, bundled apart from fetch mode (dist/chunks/rotate.js): main loads
// it only when mode is rotate, so the fetch path never parses the rotation code.
import { setErrorMessage } from "../error-message-output.ts";
import { failStep } from "../step-failure.ts";
import { printToFileDescriptor } from "../runner-protocol/workflow-commands.ts";
import { readRotateInputs } from "./rotate-inputs.ts";
import { runRotate } from "./run-rotate.ts";

/** Never rejects: a failure becomes the step's error annotation and exit code. */
export async function rotateStep(): Promise<void> {
  printToFileDescriptor();
  try {
    await runRotate(readRotateInputs());
  } catch (failure) {
    failStep(failure, setErrorMessage);
  }
}
