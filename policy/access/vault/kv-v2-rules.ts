// The Vault ACL policy of a grant: exactly the KV v2 API paths granted, in HCL. Pure, so that synth
// (provider/) writes and the access graph reads a document's grants the same way.
import type { Capability, Grant } from "../../document.ts";
import { compareText } from "../../text-order.ts";

export interface PolicyRule {
  readonly path: string;
  readonly capabilities: readonly string[];
}

/** Vault capabilities per KV v2 API prefix, for each of our capabilities. */
const kvV2Capabilities: Record<Capability, ReadonlyArray<readonly [prefix: string, capabilities: readonly string[]]>> = {
  read: [["data", ["read"]]],
  list: [["metadata", ["list"]]],
  write: [["data", ["create", "update", "patch"]]],
  delete: [["data", ["delete"]], ["delete", ["update"]], ["destroy", ["update"]], ["metadata", ["delete"]]],
};

const capabilityOrder = ["create", "read", "update", "patch", "delete", "list"];

type PrefixCapabilities = ReadonlyArray<readonly [prefix: string, capabilities: readonly string[]]>;

/** Per list of our capabilities (as written), the Vault capabilities of each API prefix, prefixes sorted. */
const byCapabilities = new Map<string, PrefixCapabilities>();
/** Lists of capabilities are few (four capabilities); past this many, they are worked out each time. */
const rememberedLists = 64;

/** The Vault capabilities of each prefix the capabilities reach: worked out once per list, the arrays shared (frozen). */
function prefixCapabilities(capabilities: readonly Capability[]): PrefixCapabilities {
  const key = capabilities.join(",");
  const known = byCapabilities.get(key);
  if (known) return known;
  const byPrefix = new Map<string, Set<string>>();
  for (const capability of capabilities) {
    for (const [prefix, vaultCapabilities] of kvV2Capabilities[capability]) {
      const set = byPrefix.get(prefix) ?? new Set<string>();
      for (const vaultCapability of vaultCapabilities) set.add(vaultCapability);
      byPrefix.set(prefix, set);
    }
  }
  const worked = Object.freeze([...byPrefix.keys()].sort(compareText).map((prefix) => Object.freeze([prefix, Object.freeze(capabilityOrder.filter((capability) => byPrefix.get(prefix)!.has(capability)))] as const)));
  if (byCapabilities.size < rememberedLists) byCapabilities.set(key, worked);
  return worked;
}

/**
 * `<mount>/<prefix>/<project>/<environment>/<path>`; `+` stands for any one environment. Sorted by
 * path: the rules of one grant share all but the prefix and the secret path, and no prefix begins
 * another, so that is by prefix, then by secret path. Rules of one prefix share their capabilities.
 */
export function kvV2PolicyRules(mount: string, project: string, grant: Pick<Grant, "environment" | "paths" | "capabilities">): PolicyRule[] {
  const environment = grant.environment === "*" ? "+" : grant.environment;
  const paths = [...new Set(grant.paths)].sort(compareText);
  const rules: PolicyRule[] = [];
  for (const [prefix, capabilities] of prefixCapabilities(grant.capabilities)) {
    for (const path of paths) rules.push({ path: `${mount}/${prefix}/${project}/${environment}/${path}`, capabilities });
  }
  return rules;
}

/** `"read", "list"`: per capability list, written once (the rules of a prefix share their list). */
const capabilityTexts = new WeakMap<readonly string[], string>();

function capabilityText(capabilities: readonly string[]): string {
  let text = capabilityTexts.get(capabilities);
  if (text === undefined) {
    text = capabilities.map((capability) => `"${capability}"`).join(", ");
    capabilityTexts.set(capabilities, text);
  }
  return text;
}

export function renderPolicyHcl(comment: string, rules: readonly PolicyRule[]): string {
  const blocks = rules.map((rule) => `path "${rule.path}" {\n  capabilities = [${capabilityText(rule.capabilities)}]\n}\n`);
  return `# ${comment}\n${blocks.join("")}`;
}
