// What every secrets backend offers the Action: log in, read a path, revoke the token.
// One file per backend implements it (vault.ts for Vault and OpenBao, infisical.ts).

export interface Session {
  readonly token: string;
  readonly ttlSeconds: number;
  readonly policies: readonly string[];
  readonly renewable: boolean;
  /** True when Keybridge created the token at login, and so owns (and revokes) it. */
  readonly owned: boolean;
}

export interface Lease {
  readonly id: string;
  readonly durationSeconds: number;
  readonly renewable: boolean;
}

export interface SecretRead {
  readonly path: string;
  /** The key/value pairs of the secret (the inner `data` of a KV v2 answer). */
  readonly data: Readonly<Record<string, unknown>>;
  /** Dynamic secrets (database credentials …) come with a lease that dies with the token. */
  readonly lease: Lease | undefined;
  /** When the version read was written, where the backend says (KV v2). */
  readonly writtenAt: Date | undefined;
  /** The secret's custom metadata (KV v2), where the rotation rule is kept. */
  readonly customMetadata: Readonly<Record<string, unknown>> | undefined;
  /** Keys that exist but whose values the token may not read (Infisical's secretValueHidden). */
  readonly hiddenKeys?: ReadonlySet<string>;
}

/** What a PKI role's issue endpoint answers (Vault's pki/issue/ROLE), the fields vault-action exports. */
export interface IssuedCertificate {
  readonly certificate: string;
  readonly privateKey: string;
  readonly issuingCa: string;
  readonly caChain: readonly string[];
  readonly serialNumber: string;
}

export type RevokeOutcome = "revoked" | "already-invalid";

/** What a renewal gave: the new lifetime, which a maximum TTL may have cut short. */
export interface Renewal {
  readonly ttlSeconds: number;
  readonly renewable: boolean;
}

export interface SecretsBackend {
  /** The product name users know: "Vault", "OpenBao". */
  readonly name: string;
  loginWithJwt(jwt: string): Promise<Session>;
  /** Adopts a token the user gave (local use); never revoked by Keybridge. */
  useToken(token: string): Promise<Session>;
  read(session: Session, path: string): Promise<SecretRead>;
  /**
   * Reads what it can of several paths in fewer requests (Infisical: one recursive read of a
   * shared root). Paths missing from the answer are read one by one; it never throws.
   */
  readBatch?(session: Session, paths: readonly string[]): Promise<ReadonlyMap<string, SecretRead>>;
  /** Issues a certificate (vault-action's pki input); backends without a PKI engine leave it out. */
  issueCertificate?(session: Session, path: string, parameters: Readonly<Record<string, unknown>>): Promise<IssuedCertificate>;
  revoke(token: string): Promise<RevokeOutcome>;
  /** Extends the token's life (long jobs of `keybridge run`). */
  renewToken(session: Session, incrementSeconds: number): Promise<Renewal>;
  /** Extends a dynamic secret's lease; backends without leases never hand one out. */
  renewLease(session: Session, lease: Lease, incrementSeconds: number): Promise<Renewal>;
  /** Ends a dynamic secret's lease early. */
  revokeLease(session: Session, lease: Lease): Promise<void>;
}
