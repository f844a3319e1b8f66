// Shared by KB109 and KB112: a token lifetime grows; "much" when it ends above an hour or grows
// more than fourfold.
import type { ChangeKind, PolicyChange, TokenLifetimeChange } from "../../diff/change.ts";

export const longLifetimeSeconds = 3600;
export const growthFactor = 4;

export const lifetimeGrowthKinds = ["token-ttl.increased", "token-max-ttl.increased"] as const satisfies readonly ChangeKind[];

export function lifetimeGrowth(change: PolicyChange): TokenLifetimeChange | undefined {
  return change.kind === "token-ttl.increased" || change.kind === "token-max-ttl.increased" ? change : undefined;
}

export const growsMuch = (change: TokenLifetimeChange) =>
  change.secondsAfter > longLifetimeSeconds || change.secondsAfter > growthFactor * change.secondsBefore;
