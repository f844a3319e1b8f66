// The fault matrix: every fault, where it strikes (the OIDC token request, the login, a read, the
// post step's revoke), and whether it passes (transient: the first N attempts) or stays.
import type { InjectedFault } from "./proxy.ts";

export type Fault = InjectedFault | "dns" | "unknown-ca" | "unreachable";
export type Where = "oidc" | "login" | "read" | "revoke";
/** control: the same setup with the fault's cause removed (the CA given), to prove the cause. */
export type Variant = "transient" | "permanent" | "control";

export interface Scenario {
  readonly fault: Fault;
  readonly where: Where;
  readonly variant: Variant;
  /** Attempts the fault hits in the transient variant. */
  readonly times: number;
  /** In the bounded form that `npm test` runs. */
  readonly quick: boolean;
}

export const faultNames: Record<Fault, string> = {
  "429": "429 with Retry-After: 1",
  "500": "500",
  "502": "502 (HTML from a gateway)",
  "503": "503",
  "412": "412",
  reset: "connection reset mid-body",
  stall: "stalled response",
  trickle: "trickle (a byte every 200 ms)",
  truncated: "truncated JSON",
  dns: "unresolvable host (.invalid)",
  "unknown-ca": "TLS certificate from an unknown CA",
  unreachable: "backend unreachable (proxy closed)",
};

/** How many first attempts a transient fault hits: as many as fit the 6 s budget with room to spare. */
const transientTimes: Partial<Record<Fault, number>> = { stall: 1, trickle: 1 };

/** The bounded subset: one transient and one permanent of the main kinds, spread over the places. */
const quickSet = new Set(["503 login", "reset read", "stall oidc", "truncated read", "unknown-ca login", "unreachable revoke"]);

export function scenarios(): Scenario[] {
  const list: Scenario[] = [];
  const add = (fault: Fault, where: Where, variant: Variant): void => {
    const quick = quickSet.has(`${fault} ${where}`) && variant !== "control";
    list.push({ fault, where, variant, times: variant === "transient" ? (transientTimes[fault] ?? 2) : Infinity, quick });
  };
  const injected: InjectedFault[] = ["429", "500", "502", "503", "412", "reset", "stall", "trickle", "truncated"];
  for (const fault of injected) {
    for (const where of ["oidc", "login", "read"] as const) {
      add(fault, where, "transient");
      add(fault, where, "permanent");
    }
  }
  // A name that never resolves, and a certificate nobody vouches for, do not get better with time.
  add("dns", "oidc", "permanent");
  add("dns", "login", "permanent");
  add("unknown-ca", "oidc", "permanent");
  add("unknown-ca", "login", "permanent");
  add("unknown-ca", "oidc", "control");
  add("unknown-ca", "login", "control");
  // The post step: its own 20 s budget, and it never fails the job.
  for (const fault of ["503", "reset", "stall"] as const) {
    add(fault, "revoke", "transient");
    add(fault, "revoke", "permanent");
  }
  add("unreachable", "revoke", "permanent");
  return list;
}

export function describeScenario(scenario: Scenario): string {
  const variant = scenario.variant === "transient"
    ? `transient (first ${scenario.times} attempt${scenario.times === 1 ? "" : "s"})`
    : scenario.variant === "control" ? "control: CA given as ca-certificate" : "permanent";
  return `${faultNames[scenario.fault]} on ${scenario.where === "oidc" ? "the OIDC token request" : scenario.where}, ${variant}`;
}
