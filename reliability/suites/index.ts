// The suites, in the order they run.
import type { Suite } from "../report.ts";
import { badInput } from "./bad-input/index.ts";

export const suites: Record<string, Suite> = {
  "bad-input": badInput,
};
