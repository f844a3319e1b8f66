import type { ChangeKind } from "../../diff/change.ts";
import type { RiskRule } from "../rule.ts";

const tightening = ["principal.narrowed", "token-ttl.decreased", "token-max-ttl.decreased", "rotation.added", "rotation.tightened", "environment.protected"] as const satisfies readonly ChangeKind[];

export const tightened: RiskRule = {
  id: "KB118",
  level: "info",
  title: "Constraint tightened",
  trigger: "A principal admits fewer jobs, a token lifetime shrinks, a rotation is added or tightened (or moves to the backend or to generated values), or an environment becomes protected.",
  why: "Tighter is safer, but jobs outside the new bounds stop working and secrets past their new maximum age are reported as overdue.",
  kinds: [...tightening, "rotation.strategy-changed"],
  badge: "Tightened",
  check(change) {
    const after = change.kind === "rotation.strategy-changed" ? change.rotationAfter?.strategy : undefined;
    const toBackend = after === "backend" || after === "generated";
    return (tightening as readonly ChangeKind[]).includes(change.kind) || toBackend ? { reason: () => change.summary } : undefined;
  },
};
