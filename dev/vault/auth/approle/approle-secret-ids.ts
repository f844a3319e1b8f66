// The secret IDs of one AppRole role. As with tokens, only a SHA-256 digest of each secret ID is
// kept, so the store can check one but never hand it out again; an accessor (a UUID) names it for
// listing, lookup and destruction. TTL and use limits follow Vault: a TTL of 0 never expires, the
// last use deletes the secret ID, and an expired one is gone as if Vault's tidy had run.
import { randomUUID } from "node:crypto";
import { digestOf, systemMaxTtl } from "../../token/token-store.ts";
import { memoryScope, plainCodec, type StateScope } from "../../../persist/state-scope.ts";

export interface SecretIdSpec {
  readonly numUses: number;
  /** Seconds; 0 never expires. */
  readonly ttl: number;
  readonly metadata: Readonly<Record<string, string>>;
  readonly cidrList: readonly string[];
  readonly tokenBoundCidrs: readonly string[];
}

export interface SecretIdEntry extends SecretIdSpec {
  readonly accessor: string;
  readonly creationTime: number;
  readonly expirationTime: number | null;
  lastUpdatedTime: number;
  usesLeft: number;
}

export interface IssuedSecretId {
  readonly secretId: string;
  readonly entry: SecretIdEntry;
}

export class SecretIdStore {
  private readonly byDigest: Map<string, SecretIdEntry>;
  /** An index of byDigest, rebuilt from it: not saved. */
  private readonly digestByAccessor = new Map<string, string>();

  constructor(
    private readonly now: () => number,
    state: StateScope = memoryScope,
  ) {
    this.byDigest = state.map("secret-ids", plainCodec<SecretIdEntry>());
    for (const [digest, entry] of this.byDigest) this.digestByAccessor.set(entry.accessor, digest);
  }

  /** A new secret ID, random unless the caller brings its own (custom-secret-id). */
  issue(spec: SecretIdSpec, custom?: string): IssuedSecretId | undefined {
    const secretId = custom ?? randomUUID();
    const digest = digestOf(secretId);
    if (this.byDigest.has(digest)) return undefined;
    const now = this.now();
    // As Vault: a TTL past the system maximum is capped to it.
    const ttl = spec.ttl > systemMaxTtl || spec.ttl < 0 ? systemMaxTtl : spec.ttl;
    const entry: SecretIdEntry = {
      ...spec,
      ttl,
      accessor: randomUUID(),
      creationTime: now,
      expirationTime: ttl > 0 ? now + ttl * 1000 : null,
      lastUpdatedTime: now,
      usesLeft: spec.numUses,
    };
    this.byDigest.set(digest, entry);
    this.digestByAccessor.set(entry.accessor, digest);
    return { secretId, entry };
  }

  /** The live entry for a presented secret ID; an expired one is deleted on sight. */
  find(secretId: string): SecretIdEntry | undefined {
    return this.live(digestOf(secretId));
  }

  byAccessor(accessor: string): SecretIdEntry | undefined {
    const digest = this.digestByAccessor.get(accessor);
    return digest === undefined ? undefined : this.live(digest);
  }

  /** Counts one login; the last allowed use deletes the secret ID. */
  consume(secretId: string): void {
    const digest = digestOf(secretId);
    const entry = this.byDigest.get(digest);
    if (!entry || entry.usesLeft === 0) return;
    if (entry.usesLeft === 1) this.delete(digest);
    else {
      entry.usesLeft -= 1;
      entry.lastUpdatedTime = this.now();
    }
  }

  destroy(secretId: string): void {
    this.delete(digestOf(secretId));
  }

  destroyByAccessor(accessor: string): void {
    const digest = this.digestByAccessor.get(accessor);
    if (digest !== undefined) this.delete(digest);
  }

  accessors(): string[] {
    for (const digest of [...this.byDigest.keys()]) this.live(digest);
    return [...this.digestByAccessor.keys()].sort();
  }

  /** The `data` of secret-id/lookup and secret-id-accessor/lookup. */
  lookupData(entry: SecretIdEntry): Record<string, unknown> {
    const iso = (ms: number): string => new Date(ms).toISOString();
    return {
      cidr_list: entry.cidrList,
      creation_time: iso(entry.creationTime),
      expiration_time: entry.expirationTime === null ? "0001-01-01T00:00:00Z" : iso(entry.expirationTime),
      last_updated_time: iso(entry.lastUpdatedTime),
      metadata: entry.metadata,
      secret_id_accessor: entry.accessor,
      secret_id_num_uses: entry.usesLeft,
      secret_id_ttl: entry.ttl,
      token_bound_cidrs: entry.tokenBoundCidrs,
    };
  }

  private live(digest: string): SecretIdEntry | undefined {
    const entry = this.byDigest.get(digest);
    if (entry && entry.expirationTime !== null && this.now() >= entry.expirationTime) {
      this.delete(digest);
      return undefined;
    }
    return entry;
  }

  private delete(digest: string): void {
    const entry = this.byDigest.get(digest);
    if (!entry) return;
    this.byDigest.delete(digest);
    this.digestByAccessor.delete(entry.accessor);
  }
}
