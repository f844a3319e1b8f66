// The suites, in the order they run.
import type { Suite } from "../report.ts";
import { badInput } from "./bad-input/index.ts";
import { faults } from "./faults/index.ts";
import { tokenAttacks } from "./token-attacks/index.ts";
import { policyEscapes } from "./policy-escapes/index.ts";
import { durability } from "./durability/index.ts";
import { load } from "./load/index.ts";
import { leaks } from "./leaks/index.ts";

export const suites: Record<string, Suite> = {
  leaks,
  faults,
  "token-attacks": tokenAttacks,
  "policy-escapes": policyEscapes,
  durability,
  load,
  "bad-input": badInput,
};
