// The main step in rotate mode, bundled apart from fetch mode (dist/chunks/rotate.js): main loads
// it only when mode is rotate, so the fetch path never parses the rotation code.
import { setErrorMessage } from "../error-message-output.ts";
import { runModeStep } from "../step-failure.ts";
import { readRotateInputs } from "./rotate-inputs.ts";
import { runRotate } from "./run-rotate.ts";

export const rotateStep = (): Promise<void> => runModeStep(() => runRotate(readRotateInputs()), setErrorMessage);
