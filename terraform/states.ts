// States for instances nobody applies: what a plan (or the dev backend, for another provider's
// resource) lets references read. The attributes written in the block are known; every other
// attribute reads as Unknown, with why, so a reference to one is refused naming both ends.
import { Unknown, isMap, makeMap, onMissingAttribute, type Value, type ValueMap } from "./expression/values.ts";
import type { ResourceInstance } from "./evaluate-configuration.ts";

export function openState(instance: ResourceInstance, reason: string, extra: ValueMap = {}): ValueMap {
  const state = makeMap([...Object.entries(instance.body), ...Object.entries(extra)]);
  return onMissingAttribute(state, (key) => new Unknown(`${instance.address}.${key}`, reason));
}

/** One warning line's text for a skipped resource of another provider. */
export function skippedMessage(instance: ResourceInstance): string {
  const provider = instance.type.split("_")[0];
  const written = Object.keys(instance.body).sort();
  return `skipped: ${instance.kind === "data" ? "a data source" : "a resource"} of the ${provider} provider, which keybridge does not emulate; its attributes other than those written here (${written.length === 0 ? "none" : written.join(", ")}) are unknown`;
}

/** Where the first Unknown (that `accept` picks) sits in a value: `bound_claims.sub`, `token_policies[0]`. */
export function unknownPath(value: Value, path: readonly (string | number)[] = [], accept: (unknown: Unknown) => boolean = () => true): [string, Unknown] | undefined {
  if (value instanceof Unknown) {
    if (!accept(value)) return undefined;
    return [path.map((step, index) => (typeof step === "number" ? `[${step}]` : index === 0 ? step : `.${step}`)).join("") || "value", value];
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = unknownPath(item, [...path, index], accept);
      if (found) return found;
    }
  } else if (isMap(value)) {
    for (const key of Object.keys(value)) {
      const found = unknownPath(value[key]!, [...path, key], accept);
      if (found) return found;
    }
  }
  return undefined;
}
