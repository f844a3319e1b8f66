// One cluster's service-account token issuer, as its API server plays it: TokenRequest mints a
// bound token with the real claim shape, TokenReview judges one (signature, issuer, times,
// audiences) and answers who it is. Each cluster has its own key, so a token of one cluster
// fails review in another. Service accounts get a stable UID on first use; there is no
// ServiceAccount object to create first (every name exists), which is the one liberty taken.
import { randomUUID } from "node:crypto";
import { errors as joseErrors, generateKeyPair, jwtVerify, SignJWT, type CryptoKey } from "jose";
import * as z from "zod";

/** The shortest lifetime TokenRequest accepts (seconds); the mint itself takes any, for expiry tests. */
export const minimumExpirationSeconds = 600;
/** What `kubectl create token` asks for when no duration is given. */
export const defaultExpirationSeconds = 3600;

export interface TokenRequest {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Empty: the API server's own audience (its issuer). */
  readonly audiences?: readonly string[];
  readonly expirationSeconds?: number;
  /** A pod the token is bound to, as a mounted token is. */
  readonly pod?: string;
}

export interface MintedToken {
  readonly token: string;
  readonly expirationTimestamp: string;
}

/** The `status` of a TokenReview. */
export type TokenReviewStatus =
  | { readonly authenticated: false; readonly error: string }
  | {
      readonly authenticated: true;
      readonly user: { readonly username: string; readonly uid: string; readonly groups: readonly string[]; readonly extra: Readonly<Record<string, readonly string[]>> };
      readonly audiences: readonly string[];
    };

const boundClaims = z.object({
  sub: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  "kubernetes.io": z.object({
    namespace: z.string(),
    serviceaccount: z.object({ name: z.string(), uid: z.string() }),
    pod: z.object({ name: z.string(), uid: z.string() }).optional(),
  }),
});

export class ServiceAccountIssuer {
  private readonly accountUids = new Map<string, string>();

  private constructor(
    /** The cluster's --service-account-issuer: `https://<api host>`. */
    readonly issuer: string,
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
    private readonly now: () => number,
  ) {}

  static async create(clusterKey: string, now: () => number): Promise<ServiceAccountIssuer> {
    const { privateKey, publicKey } = await generateKeyPair("ES256");
    return new ServiceAccountIssuer(`https://${clusterKey}`, privateKey, publicKey, now);
  }

  /** The service account's UID, the same for every token of this cluster. */
  uidOf(namespace: string, name: string): string {
    const key = `${namespace}/${name}`;
    let uid = this.accountUids.get(key);
    if (!uid) {
      uid = randomUUID();
      this.accountUids.set(key, uid);
    }
    return uid;
  }

  async mint(request: TokenRequest): Promise<MintedToken> {
    const lifetime = request.expirationSeconds ?? defaultExpirationSeconds;
    const issuedAt = Math.floor(this.now() / 1000);
    const audiences = request.audiences && request.audiences.length > 0 ? [...request.audiences] : [this.issuer];
    const kubernetes = {
      namespace: request.namespace,
      serviceaccount: { name: request.serviceAccount, uid: this.uidOf(request.namespace, request.serviceAccount) },
      ...(request.pod ? { pod: { name: request.pod, uid: randomUUID() } } : {}),
    };
    const token = await new SignJWT({ "kubernetes.io": kubernetes })
      .setProtectedHeader({ alg: "ES256", kid: "keybridge-dev" })
      .setIssuer(this.issuer)
      .setSubject(`system:serviceaccount:${request.namespace}:${request.serviceAccount}`)
      .setAudience(audiences)
      .setIssuedAt(issuedAt)
      .setNotBefore(issuedAt)
      .setExpirationTime(issuedAt + lifetime)
      .setJti(randomUUID())
      .sign(this.privateKey);
    return { token, expirationTimestamp: new Date((issuedAt + lifetime) * 1000).toISOString() };
  }

  /**
   * TokenReview: `audiences` empty means the API server's own. The token's aud must share one
   * with them; the answer's audiences are the shared ones.
   */
  async review(token: string, audiences: readonly string[]): Promise<TokenReviewStatus> {
    const asked = audiences.length > 0 ? audiences : [this.issuer];
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, this.publicKey, { issuer: this.issuer, algorithms: ["ES256"], currentDate: new Date(this.now()) }));
    } catch (error) {
      const reason = error instanceof joseErrors.JWTExpired ? "token has expired" : "invalid bearer token";
      return { authenticated: false, error: `[${reason}]` };
    }
    const parsed = boundClaims.safeParse(payload);
    if (!parsed.success) return { authenticated: false, error: "[invalid bearer token, service account claims are missing]" };
    const tokenAudiences = typeof parsed.data.aud === "string" ? [parsed.data.aud] : parsed.data.aud;
    const shared = asked.filter((audience) => tokenAudiences.includes(audience));
    if (shared.length === 0) return { authenticated: false, error: "[invalid bearer token, token audiences is invalid]" };
    const claims = parsed.data["kubernetes.io"];
    const extra: Record<string, string[]> = claims.pod ? { "authentication.kubernetes.io/pod-name": [claims.pod.name], "authentication.kubernetes.io/pod-uid": [claims.pod.uid] } : {};
    return {
      authenticated: true,
      user: {
        username: parsed.data.sub,
        uid: claims.serviceaccount.uid,
        groups: ["system:serviceaccounts", `system:serviceaccounts:${claims.namespace}`, "system:authenticated"],
        extra,
      },
      audiences: shared,
    };
  }
}
