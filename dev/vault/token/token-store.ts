// Vault service tokens. A token is `hvs.` + random base62; only its SHA-256 digest is kept, so the
// store can check a presented token but never hand one out again. Every expiry decision reads the
// injectable clock. Whoever holds things that die with a token (leases) listens for revocations.
// With a data directory the entries (digests, never tokens) are saved, except the root token given
// at start: it belongs to that start, as `vault server -dev`'s does.
import { createHash, randomBytes } from "node:crypto";
import type { AuthBlock } from "../core/envelope.ts";
import { badRequest } from "../core/errors.ts";
import { ttlCappedWarning } from "../core/durations.ts";
import { memoryScope, plainCodec, type StateScope } from "../../persist/state-scope.ts";

/** Vault's system default and maximum lease TTL: 768 hours. */
export const systemMaxTtl = 768 * 3600;

export interface TokenSpec {
  readonly policies: readonly string[];
  readonly noDefaultPolicy?: boolean;
  readonly meta?: Readonly<Record<string, string>> | null;
  readonly displayName: string;
  readonly path: string;
  readonly entityId?: string;
  readonly namespace?: string;
  /** Seconds; 0 means the system default. */
  readonly ttl?: number;
  /** Seconds; 0 means the system maximum. */
  readonly maxTtl?: number;
  readonly explicitMaxTtl?: number;
  readonly renewable?: boolean;
  readonly numUses?: number;
  /** token_bound_cidrs: the addresses the token may be used from. */
  readonly boundCidrs?: readonly string[];
}

export interface TokenEntry {
  readonly digest: string;
  readonly accessor: string;
  readonly policies: readonly string[];
  readonly meta: Readonly<Record<string, string>> | null;
  readonly displayName: string;
  readonly path: string;
  readonly entityId: string;
  readonly namespace: string;
  readonly creationTime: number;
  readonly creationTtl: number;
  readonly explicitMaxTtl: number;
  readonly maxExpireTime: number | null;
  readonly renewable: boolean;
  readonly boundCidrs: readonly string[];
  expireTime: number | null;
  numUses: number;
  lastRenewalTime: number | null;
}

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 × 62: dropping the bytes above keeps every character equally likely.
      if (byte < 248 && out.length < length) out += base62[byte % 62];
    }
  }
  return out;
}

export function digestOf(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Vault's SanitizePolicies: lower-cased, unique, sorted, `default` added unless opted out; root stands alone. */
export function sanitizePolicies(names: readonly string[], addDefault: boolean): string[] {
  const set = new Set(names.map((name) => name.trim().toLowerCase()).filter((name) => name !== ""));
  if (set.has("root")) return ["root"];
  if (addDefault) set.add("default");
  return [...set].sort();
}

/** Told about every token that stops being valid: revoked, used up, or found expired. */
export type RevocationListener = (entry: TokenEntry) => void;

const startRootPath = "auth/token/root";

/** Past this many remembered digests the memo starts over: a bound, not a tuning knob. */
const maxRememberedDigests = 10_000;

export class TokenStore {
  private readonly tokens: Map<string, TokenEntry>;
  /**
   * Presented token → its SHA-256 digest, so a busy token is hashed once. Only the digest is
   * remembered, never the entry: every lookup still finds the live entry by digest, so revocation
   * and expiry take effect on the next request as before.
   */
  private readonly digests = new Map<string, string>();
  /** The way back, so a revoked token's text is forgotten with it. */
  private readonly presented = new Map<string, string>();
  private readonly listeners: RevocationListener[] = [];

  constructor(
    private readonly now: () => number,
    state: StateScope = memoryScope,
  ) {
    this.tokens = state.map("tokens", plainCodec<TokenEntry>((entry) => entry.path !== startRootPath));
  }

  issue(spec: TokenSpec): { token: string; entry: TokenEntry } {
    const token = `hvs.${randomBase62(40)}`;
    const now = this.now();
    const policies = sanitizePolicies(spec.policies, !spec.noDefaultPolicy);
    const isRoot = policies.includes("root") && !spec.ttl;
    const explicitMaxTtl = spec.explicitMaxTtl ?? 0;
    const maxTtl = Math.min(spec.maxTtl || systemMaxTtl, systemMaxTtl, explicitMaxTtl || Infinity);
    const ttl = Math.min(spec.ttl || systemMaxTtl, maxTtl);
    const entry: TokenEntry = {
      digest: digestOf(token),
      accessor: randomBase62(24),
      policies,
      meta: spec.meta ?? null,
      displayName: spec.displayName,
      path: spec.path,
      entityId: spec.entityId ?? "",
      namespace: spec.namespace ?? "",
      creationTime: now,
      creationTtl: isRoot ? 0 : ttl,
      explicitMaxTtl,
      maxExpireTime: isRoot ? null : now + maxTtl * 1000,
      renewable: isRoot ? false : (spec.renewable ?? true),
      boundCidrs: spec.boundCidrs ?? [],
      expireTime: isRoot ? null : now + ttl * 1000,
      numUses: spec.numUses ?? 0,
      lastRenewalTime: null,
    };
    this.tokens.set(entry.digest, entry);
    return { token, entry };
  }

  /** The root token given at start: never expires; its plain text is the caller's to keep. */
  addRoot(token: string): TokenEntry {
    const entry: TokenEntry = {
      digest: digestOf(token),
      accessor: randomBase62(24),
      policies: ["root"],
      meta: null,
      displayName: "root",
      path: startRootPath,
      entityId: "",
      namespace: "",
      creationTime: this.now(),
      creationTtl: 0,
      explicitMaxTtl: 0,
      maxExpireTime: null,
      renewable: false,
      boundCidrs: [],
      expireTime: null,
      numUses: 0,
      lastRenewalTime: null,
    };
    this.tokens.set(entry.digest, entry);
    return entry;
  }

  onRevoke(listener: RevocationListener): void {
    this.listeners.push(listener);
  }

  /** The live entry for a presented token; expired tokens are dropped on sight. */
  lookup(token: string | undefined): TokenEntry | undefined {
    if (!token) return undefined;
    let digest = this.digests.get(token);
    if (digest === undefined) {
      digest = digestOf(token);
      if (this.digests.size >= maxRememberedDigests) {
        this.digests.clear();
        this.presented.clear();
      }
      this.digests.set(token, digest);
      this.presented.set(digest, token);
    }
    return this.live(digest);
  }

  /** The live entry with this digest (what a lease keeps of its token); expired ones are revoked on sight. */
  live(digest: string): TokenEntry | undefined {
    const entry = this.tokens.get(digest);
    if (!entry) return undefined;
    if (entry.expireTime !== null && this.now() >= entry.expireTime) {
      this.revoke(entry);
      return undefined;
    }
    return entry;
  }

  revoke(entry: TokenEntry): void {
    const token = this.presented.get(entry.digest);
    if (token !== undefined) {
      this.digests.delete(token);
      this.presented.delete(entry.digest);
    }
    if (!this.tokens.delete(entry.digest)) return;
    for (const listener of this.listeners) listener(entry);
  }

  /** The accessors of the namespace's live tokens (LIST auth/token/accessors). */
  accessors(namespace: string): string[] {
    this.sweep();
    return [...this.tokens.values()].filter((entry) => entry.namespace === namespace).map((entry) => entry.accessor);
  }

  /** The live token with this accessor in the namespace; an accessor names a token without being one. */
  byAccessor(namespace: string, accessor: string): TokenEntry | undefined {
    const entry = [...this.tokens.values()].find((candidate) => candidate.accessor === accessor && candidate.namespace === namespace);
    return entry === undefined ? undefined : this.live(entry.digest);
  }

  /** sys/leases/revoke-prefix on an auth path ("auth/approle/"): the tokens its logins created (never the root token). */
  revokeByPathPrefix(namespace: string, prefix: string): void {
    for (const entry of [...this.tokens.values()]) {
      if (entry.namespace === namespace && entry.path.startsWith(prefix) && entry.path !== startRootPath) this.revoke(entry);
    }
  }

  /** Revokes every expired token, so that what dies with them goes too without waiting for a request. */
  sweep(): void {
    for (const digest of [...this.tokens.keys()]) this.live(digest);
  }

  /** Counts one use of a token with num_uses; the last use revokes it (after this request). */
  consumeUse(entry: TokenEntry): void {
    if (entry.numUses <= 0) return;
    entry.numUses -= 1;
    if (entry.numUses === 0) this.revoke(entry);
  }

  /** Extends the TTL by `increment` seconds (or the original TTL), never past the max TTL. */
  renew(entry: TokenEntry, increment: number): { warnings: string[] } {
    if (!entry.renewable || entry.expireTime === null || entry.maxExpireTime === null) {
      throw badRequest("lease is not renewable");
    }
    const now = this.now();
    const wanted = increment > 0 ? increment : entry.creationTtl;
    const room = Math.max(0, Math.floor((entry.maxExpireTime - now) / 1000));
    const granted = Math.min(wanted, room);
    entry.expireTime = now + granted * 1000;
    entry.lastRenewalTime = now;
    return { warnings: granted < wanted ? [ttlCappedWarning(wanted, room)] : [] };
  }

  remainingTtl(entry: TokenEntry): number {
    return entry.expireTime === null ? 0 : Math.max(0, Math.floor((entry.expireTime - this.now()) / 1000));
  }

  /** The `data` of auth/token/lookup-self and auth/token/lookup. */
  lookupData(token: string, entry: TokenEntry): Record<string, unknown> {
    const iso = (ms: number): string => new Date(ms).toISOString();
    return {
      accessor: entry.accessor,
      creation_time: Math.floor(entry.creationTime / 1000),
      creation_ttl: entry.creationTtl,
      display_name: entry.displayName,
      entity_id: entry.entityId,
      expire_time: entry.expireTime === null ? null : iso(entry.expireTime),
      explicit_max_ttl: entry.explicitMaxTtl,
      id: token,
      issue_time: iso(entry.creationTime),
      meta: entry.meta,
      num_uses: entry.numUses,
      orphan: true,
      path: entry.path,
      policies: entry.policies,
      renewable: entry.renewable,
      ttl: this.remainingTtl(entry),
      type: "service",
      ...(entry.boundCidrs.length > 0 ? { bound_cidrs: entry.boundCidrs } : {}),
      ...(entry.lastRenewalTime === null
        ? {}
        : { last_renewal_time: Math.floor(entry.lastRenewalTime / 1000), last_renewal: iso(entry.lastRenewalTime) }),
    };
  }

  /** The `auth` block of a login, token creation or renewal, built right after the TTL was set. */
  authBlock(token: string, entry: TokenEntry): AuthBlock {
    // Rounded, not floored: the clock read here may be a millisecond past the one that set the TTL,
    // and 2 s for a granted 3 s reads to a client as "the maximum TTL cut this renewal short".
    const leaseDuration = entry.expireTime === null ? 0 : Math.max(0, Math.round((entry.expireTime - this.now()) / 1000));
    return {
      client_token: token,
      accessor: entry.accessor,
      policies: entry.policies,
      token_policies: entry.policies,
      metadata: entry.meta ?? {},
      lease_duration: leaseDuration,
      renewable: entry.renewable,
      entity_id: entry.entityId,
      token_type: "service",
      orphan: true,
      mfa_requirement: null,
      num_uses: entry.numUses,
    };
  }
}
