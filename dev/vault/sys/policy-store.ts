// Named ACL policies, with Vault's two built-ins: `root` (everything, cannot be changed or
// deleted) and `default` (a token's self-service and lease renewal, attached to tokens unless opted out).
import { parsePolicy, type PathRule } from "../core/acl-policy-parse.ts";
import { allows, type Operation, type Policy } from "../core/acl.ts";
import { memoryScope, type Codec, type StateScope } from "../../persist/state-scope.ts";

const defaultPolicyText = `# Lets every token look itself up, renew itself and revoke itself.
path "auth/token/lookup-self" {
  capabilities = ["read"]
}
path "auth/token/renew-self" {
  capabilities = ["update"]
}
path "auth/token/revoke-self" {
  capabilities = ["update"]
}
# Lets a token renew a lease (and look one up) by its lease_id, as Vault's default policy does.
path "sys/renew" {
  capabilities = ["update"]
}
path "sys/leases/renew" {
  capabilities = ["update"]
}
path "sys/leases/lookup" {
  capabilities = ["update"]
}
`;

interface StoredPolicy extends Policy {
  readonly text: string;
}

/** Only the text is stored: it was parsed when written, so it parses again. */
const policyCodec: Codec<StoredPolicy> = {
  encode: ({ name, text }) => ({ name, text }),
  decode: (json) => {
    const { name, text } = json as { name: string; text: string };
    return { name, text, rules: parsePolicy(text) };
  },
};

/** Past this many cached decisions the cache starts over: a bound, not a tuning knob. */
const maxCachedDecisions = 50_000;

export class PolicyStore {
  private readonly policies: Map<string, StoredPolicy>;
  /**
   * ACL decisions by policy names, path, operation and sudo: tokens with the same policies share
   * them. Any policy write or delete clears them all, so a decision never outlives the rules it
   * came from; a revoked or expired token never gets this far.
   */
  private readonly decisions = new Map<string, boolean>();

  constructor(state: StateScope = memoryScope) {
    this.policies = state.map("policies", policyCodec);
    // A restored `default` may have been changed since: keep it as it is.
    if (!this.policies.has("default")) this.put("default", defaultPolicyText, parsePolicy(defaultPolicyText));
  }

  /** Names are case-insensitive in Vault: stored and looked up lower-cased. */
  put(name: string, text: string, rules: readonly PathRule[]): void {
    const key = name.toLowerCase();
    this.policies.set(key, { name: key, text, rules });
    this.decisions.clear();
  }

  get(name: string): StoredPolicy | undefined {
    const key = name.toLowerCase();
    if (key === "root") return { name: "root", text: "", rules: [] };
    return this.policies.get(key);
  }

  delete(name: string): void {
    this.policies.delete(name.toLowerCase());
    this.decisions.clear();
  }

  names(): string[] {
    return [...this.policies.keys(), "root"].sort();
  }

  /** The policies behind a token's policy names; names with no policy grant nothing. */
  resolve(names: readonly string[]): Policy[] {
    return names.flatMap((name) => this.get(name) ?? []);
  }

  /** Whether the named policies allow `operation` on `path` (acl.ts decides; the answer is kept). */
  allows(names: readonly string[], path: string, operation: Operation, needsSudo: boolean): boolean {
    const key = `${names.join("\u0000")}\u0001${path}\u0001${operation}\u0001${needsSudo ? 1 : 0}`;
    let decision = this.decisions.get(key);
    if (decision === undefined) {
      decision = allows(this.resolve(names), path, operation, needsSudo);
      if (this.decisions.size >= maxCachedDecisions) this.decisions.clear();
      this.decisions.set(key, decision);
    }
    return decision;
  }
}
