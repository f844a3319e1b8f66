// The Vault ACL policy of a grant: exactly the KV v2 API paths granted, in HCL. Pure, so that synth
// (provider/) writes and the access graph reads a document's grants the same way.
import type { Capability, Grant } from "../../document.ts";

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

/** `<mount>/<prefix>/<project>/<environment>/<path>`; `+` stands for any one environment. */
export function kvV2PolicyRules(mount: string, project: string, grant: Pick<Grant, "environment" | "paths" | "capabilities">): PolicyRule[] {
  const environment = grant.environment === "*" ? "+" : grant.environment;
  const rules = new Map<string, Set<string>>();
  for (const capability of grant.capabilities) {
    for (const [prefix, vaultCapabilities] of kvV2Capabilities[capability]) {
      for (const path of grant.paths) {
        const key = `${mount}/${prefix}/${project}/${environment}/${path}`;
        const set = rules.get(key) ?? new Set<string>();
        for (const vaultCapability of vaultCapabilities) set.add(vaultCapability);
        rules.set(key, set);
      }
    }
  }
  return [...rules]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, set]) => ({ path, capabilities: capabilityOrder.filter((capability) => set.has(capability)) }));
}

export function renderPolicyHcl(comment: string, rules: readonly PolicyRule[]): string {
  const blocks = rules.map((rule) => `path "${rule.path}" {\n  capabilities = [${rule.capabilities.map((c) => `"${c}"`).join(", ")}]\n}\n`);
  return `# ${comment}\n${blocks.join("")}`;
}
