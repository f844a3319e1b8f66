import type { RiskRule } from "../rule.ts";

const tightening = new Set(["principal.narrowed", "token-ttl.decreased", "token-max-ttl.decreased", "rotation.added", "rotation.tightened", "environment.protected"]);

export const tightened: RiskRule = {
  id: "KB118",
  level: "info",
  title: "Constraint tightened",
  trigger: "A principal admits fewer jobs, a token lifetime shrinks, a rotation is added or tightened (or moves to the backend or to generated values), or an environment becomes protected.",
  why: "Tighter is safer, but jobs outside the new bounds stop working and secrets past their new maximum age are reported as overdue.",
  badge: "Tightened",
  check(change) {
    const after = change.kind === "rotation.strategy-changed" ? change.rotationAfter?.strategy : undefined;
    const toBackend = after === "backend" || after === "generated";
    return tightening.has(change.kind) || toBackend ? { reason: () => change.summary } : undefined;
  },
};
