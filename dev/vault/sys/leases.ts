// Leases of dynamic secrets, keyed by lease id ("database/creds/app/<random>"), as Vault's
// expiration manager keeps them: a TTL and a max TTL on the injectable clock, renewal capped by the
// max TTL, and an owner token whose revocation or expiry revokes the lease. Expiry is noticed on
// access and by sweep(), which the Vault assembly calls on a timer.
import { systemMaxTtl, randomBase62, type TokenEntry, type TokenStore } from "../token/token-store.ts";
import { badRequest } from "../core/errors.ts";
import { ttlCappedWarning } from "../core/durations.ts";
import { listChildren } from "../secrets/kv/kv-list.ts";
import { memoryScope, plainCodec, type StateScope } from "../../persist/state-scope.ts";

export interface LeaseSpec {
  /** The request path the secret came from, relative to the namespace: "database/creds/app". */
  readonly path: string;
  readonly namespace: string;
  readonly owner: TokenEntry | undefined;
  /** Seconds; 0 means the system default. */
  readonly ttl: number;
  /** Seconds; 0 means the system maximum. */
  readonly maxTtl: number;
  readonly renewable: boolean;
}

interface Lease {
  /** As clients see it: relative to the namespace. */
  readonly id: string;
  readonly namespace: string;
  readonly ownerDigest: string | undefined;
  readonly issueTime: number;
  readonly maxExpireTime: number;
  /** What a renewal without an increment asks for (the role's default TTL). */
  readonly defaultTtl: number;
  readonly renewable: boolean;
  expireTime: number;
  lastRenewal: number | null;
}

export interface IssuedLease {
  readonly id: string;
  readonly ttl: number;
  readonly renewable: boolean;
}

export interface Renewed {
  readonly id: string;
  readonly ttl: number;
  readonly renewable: boolean;
  readonly warnings: readonly string[];
}

const key = (namespace: string, id: string): string => namespace + id;

export class LeaseStore {
  private readonly leases: Map<string, Lease>;

  constructor(
    private readonly now: () => number,
    private readonly tokens: TokenStore,
    state: StateScope = memoryScope,
  ) {
    this.leases = state.map("leases", plainCodec<Lease>());
    // A lease belongs to the token that created it and dies with it.
    tokens.onRevoke((entry) => this.revokeOwnedBy(entry.digest));
  }

  issue(spec: LeaseSpec): IssuedLease {
    const now = this.now();
    const maxTtl = Math.min(spec.maxTtl || systemMaxTtl, systemMaxTtl);
    const ttl = Math.min(spec.ttl || systemMaxTtl, maxTtl);
    const lease: Lease = {
      id: `${spec.path}/${randomBase62(24)}`,
      namespace: spec.namespace,
      ownerDigest: spec.owner?.digest,
      issueTime: now,
      maxExpireTime: now + maxTtl * 1000,
      defaultTtl: ttl,
      renewable: spec.renewable,
      expireTime: now + ttl * 1000,
      lastRenewal: null,
    };
    this.leases.set(key(lease.namespace, lease.id), lease);
    return { id: lease.id, ttl, renewable: lease.renewable };
  }

  /** Extends a lease by `increment` seconds (or its default TTL), never past its max TTL. */
  renew(namespace: string, id: string, increment: number): Renewed {
    const lease = this.live(namespace, id);
    if (!lease) throw badRequest("lease not found");
    if (!lease.renewable) throw badRequest("lease is not renewable");
    const now = this.now();
    const wanted = increment > 0 ? increment : lease.defaultTtl;
    const room = Math.max(0, Math.floor((lease.maxExpireTime - now) / 1000));
    if (room === 0) throw badRequest("past the max TTL, cannot renew");
    const granted = Math.min(wanted, room);
    lease.expireTime = now + granted * 1000;
    lease.lastRenewal = now;
    return { id: lease.id, ttl: granted, renewable: lease.renewable, warnings: granted < wanted ? [ttlCappedWarning(wanted, room)] : [] };
  }

  /** The `data` of sys/leases/lookup, or undefined for a lease that is unknown, expired or revoked. */
  lookup(namespace: string, id: string): Record<string, unknown> | undefined {
    const lease = this.live(namespace, id);
    if (!lease) return undefined;
    const iso = (ms: number): string => new Date(ms).toISOString();
    return {
      id: lease.id,
      issue_time: iso(lease.issueTime),
      expire_time: iso(lease.expireTime),
      last_renewal: lease.lastRenewal === null ? null : iso(lease.lastRenewal),
      renewable: lease.renewable,
      ttl: Math.max(0, Math.round((lease.expireTime - this.now()) / 1000)),
    };
  }

  /** Revoking what is not there is not an error, as in Vault. */
  revoke(namespace: string, id: string): void {
    this.leases.delete(key(namespace, id));
  }

  revokePrefix(namespace: string, prefix: string): void {
    for (const lease of [...this.leases.values()]) {
      if (lease.namespace === namespace && lease.id.startsWith(prefix)) this.leases.delete(key(lease.namespace, lease.id));
    }
  }

  /** LIST sys/leases/lookup/<prefix>: the names directly under the prefix, folders ending in "/". */
  list(namespace: string, prefix: string): { keys: string[] } {
    this.sweep();
    const ids = [...this.leases.values()].filter((lease) => lease.namespace === namespace).map((lease) => lease.id);
    return listChildren(ids, prefix);
  }

  /** Drops expired leases and those whose token is gone. */
  sweep(): void {
    for (const lease of [...this.leases.values()]) this.live(lease.namespace, lease.id);
  }

  private revokeOwnedBy(digest: string): void {
    for (const lease of [...this.leases.values()]) if (lease.ownerDigest === digest) this.leases.delete(key(lease.namespace, lease.id));
  }

  private live(namespace: string, id: string): Lease | undefined {
    const lease = this.leases.get(key(namespace, id));
    if (!lease) return undefined;
    const expired = this.now() >= lease.expireTime;
    // Asking the token store revokes an expired owner, and with it this lease.
    const orphaned = lease.ownerDigest !== undefined && !this.tokens.live(lease.ownerDigest);
    if (expired || orphaned) {
      this.leases.delete(key(namespace, id));
      return undefined;
    }
    return lease;
  }
}
