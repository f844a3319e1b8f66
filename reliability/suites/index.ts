// The suites, in the order they run.
import type { Suite } from "../report.ts";

export const suites: Record<string, Suite> = {};
