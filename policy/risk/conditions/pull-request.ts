// Shared by KB103 and KB105: pull_request jobs (code from a pull request's branch) get in.
import type { PolicyChange } from "../../diff/change.ts";
import { principalFacets } from "../../principal/facets.ts";
import { newAccess, type NewAccess } from "../new-access.ts";

export function pullRequestGain(change: PolicyChange): NewAccess | undefined {
  const gain = newAccess(change);
  if (!gain || !principalFacets(gain.principal).admitsPullRequest) return undefined;
  if (gain.before && principalFacets(gain.before).admitsPullRequest) return undefined;
  return gain;
}

export const pullRequestsAdmitted = (admitted: boolean) => [admitted ? "pull_request jobs admitted" : "pull_request jobs not admitted"];
