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

/** Past this many decisions for one token its cache starts over: a bound, not a tuning knob. */
const maxDecisionsPerToken = 1_000;

interface Decisions {
  /** The policy version the decisions were made under. */
  readonly version: number;
  /** `<operation>` (with "!" when sudo is needed) → path → allowed: no key is built per request. */
  readonly byKind: Map<string, Map<string, boolean>>;
  count: number;
}

export class PolicyStore {
  private readonly policies: Map<string, StoredPolicy>;
  /** Bumped by every policy write or delete: decisions made under an older version are dropped. */
  private version = 0;
  /**
   * ACL decisions per token (keyed by its list of policy names, which lives as long as the token)
   * and policy version. A revoked or expired token is never looked up again, and its decisions go
   * with it.
   */
  private readonly decisions = new WeakMap<readonly string[], Decisions>();

  constructor(state: StateScope = memoryScope) {
    this.policies = state.map("policies", policyCodec);
    // A restored `default` may have been changed since: keep it as it is.
    if (!this.policies.has("default")) this.put("default", defaultPolicyText, parsePolicy(defaultPolicyText));
  }

  /** Names are case-insensitive in Vault: stored and looked up lower-cased. */
  put(name: string, text: string, rules: readonly PathRule[]): void {
    const key = name.toLowerCase();
    this.policies.set(key, { name: key, text, rules });
    this.version += 1;
  }

  get(name: string): StoredPolicy | undefined {
    const key = name.toLowerCase();
    if (key === "root") return { name: "root", text: "", rules: [] };
    return this.policies.get(key);
  }

  delete(name: string): void {
    this.policies.delete(name.toLowerCase());
    this.version += 1;
  }

  names(): string[] {
    return [...this.policies.keys(), "root"].sort();
  }

  /** The policies behind a token's policy names; names with no policy grant nothing. */
  resolve(names: readonly string[]): Policy[] {
    return names.flatMap((name) => this.get(name) ?? []);
  }

  /** Whether a token's policies allow `operation` on `path` (acl.ts decides; the answer is kept). */
  allows(tokenPolicies: readonly string[], path: string, operation: Operation, needsSudo: boolean): boolean {
    let cache = this.decisions.get(tokenPolicies);
    if (cache === undefined || cache.version !== this.version || cache.count >= maxDecisionsPerToken) {
      cache = { version: this.version, byKind: new Map(), count: 0 };
      this.decisions.set(tokenPolicies, cache);
    }
    const kind = needsSudo ? `${operation}!` : operation;
    let byPath = cache.byKind.get(kind);
    if (byPath === undefined) {
      byPath = new Map();
      cache.byKind.set(kind, byPath);
    }
    let decision = byPath.get(path);
    if (decision === undefined) {
      decision = allows(this.resolve(tokenPolicies), path, operation, needsSudo);
      byPath.set(path, decision);
      cache.count += 1;
    }
    return decision;
  }
}
