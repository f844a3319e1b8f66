// Access in a reviewer's words: secrets as the backend path a job reads
// (`ml-training/prod/database`), capabilities in plain verbs, lists cut to a few names.
import { capabilities, type Capability, type Grant } from "../document.ts";
import { joinPhrases, nameList, type Phrase } from "../phrase.ts";
import type { AccessEntry } from "./change.ts";

export const secretAddress = (project: string, environment: string, secret: string) => `${project}/${environment}/${secret}`;

/** One environment: `p/prod/db`; several: `p/{dev,prod}/db`. */
export function secretInEnvironments(project: string, environments: readonly string[], secret: string): string {
  if (environments.length === 1) return secretAddress(project, environments[0]!, secret);
  return secretAddress(project, `{${environments.join(",")}}`, secret);
}

export function capabilityWords(granted: readonly Capability[]): string {
  const ordered = capabilities.filter((capability) => granted.includes(capability));
  if (ordered.length <= 1) return ordered.join("");
  return `${ordered.slice(0, -1).join(", ")} and ${ordered[ordered.length - 1]}`;
}

/** "read `p/prod/db`; read and write `p/dev/a`, `p/dev/b` and 2 more" (with `on`: "read on `…`"). */
export function describeAccess(project: string, entries: readonly AccessEntry[], options: { on?: boolean; limit?: number } = {}): Phrase {
  const byAddress = new Map<string, Capability[]>();
  for (const entry of entries) {
    const address = secretAddress(project, entry.environment, entry.secret);
    byAddress.set(address, [...(byAddress.get(address) ?? []), entry.capability]);
  }
  const byWords = new Map<string, string[]>();
  for (const [address, granted] of byAddress) {
    const words = capabilityWords(granted);
    byWords.set(words, [...(byWords.get(words) ?? []), address]);
  }
  const groups = [...byWords].map(([words, addresses]): Phrase => [`${words}${options.on ? " on" : ""} `, ...nameList(addresses, options.limit ?? 3)]);
  return joinPhrases(groups, ["; "], ["; "]);
}

/** The grant as written: "read and list on `payments/staging/*`". */
export function grantWording(project: string, grant: Grant): Phrase {
  const targets = grant.paths.map((path) => secretAddress(project, grant.environment, path));
  return [`${capabilityWords(grant.capabilities)} on `, ...nameList(targets)];
}
