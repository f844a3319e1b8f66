// Machine-identity access tokens: random and opaque (clients must not parse them), kept only as
// digests, each with the TTL, max TTL, uses limit and trusted IPs of the auth method that issued
// it. Every authenticated request counts a use; renewal restarts the TTL within the max TTL;
// revocation is final. Refusals never repeat the token.
import { randomBytes, randomUUID } from "node:crypto";
import type { BlockList } from "node:net";
import { addressAllowed, parseCidrs } from "../vault/core/cidrs.ts";
import { badRequest, forbidden, unauthorized } from "./errors.ts";
import type { TokenLimits } from "./model.ts";
import { secretDigest } from "./store.ts";

export interface AccessToken {
  readonly id: string;
  readonly identityId: string;
  readonly authMethod: string;
  readonly createdAt: number;
  readonly ttl: number;
  readonly maxTtl: number;
  readonly numUsesLimit: number;
  readonly trustedIps: BlockList | undefined;
  renewedAt: number;
  uses: number;
  revoked: boolean;
}

export interface LoginAnswer {
  readonly accessToken: string;
  readonly expiresIn: number;
  readonly accessTokenMaxTTL: number;
  readonly tokenType: "Bearer";
}

const everywhere = ["0.0.0.0/0", "::/0"];

export class AccessTokens {
  private readonly byDigest = new Map<string, AccessToken>();

  constructor(private readonly now: () => number) {}

  issue(identityId: string, authMethod: string, limits: TokenLimits): { value: string; token: AccessToken; answer: LoginAnswer } {
    const value = randomBytes(32).toString("base64url");
    const now = this.now();
    const ips = limits.trustedIps.length > 0 ? limits.trustedIps : everywhere;
    const token: AccessToken = {
      id: randomUUID(), identityId, authMethod, createdAt: now, renewedAt: now,
      ttl: limits.ttl, maxTtl: limits.maxTtl, numUsesLimit: limits.numUsesLimit,
      trustedIps: ips.some((ip) => everywhere.includes(ip)) ? undefined : parseCidrs(ips),
      uses: 0, revoked: false,
    };
    this.byDigest.set(secretDigest(value).toString("hex"), token);
    return { value, token, answer: this.answer(value, token) };
  }

  /** The token behind an Authorization header, with one use counted; throws the 401/403 Infisical gives. */
  authenticate(value: string, remoteAddress: string): AccessToken {
    const token = this.live(value);
    if (token.trustedIps && !addressAllowed(token.trustedIps, remoteAddress)) {
      throw forbidden(`Access denied: the request comes from ${remoteAddress}, outside the access token's trusted IPs; call from a trusted address or widen access_token_trusted_ips`);
    }
    if (token.numUsesLimit > 0 && token.uses >= token.numUsesLimit) {
      throw unauthorized(`Access token usage limit reached: it was used ${token.uses} times (access_token_num_uses_limit); log in again`);
    }
    token.uses++;
    return token;
  }

  /** Restarts the TTL; refused past the max TTL (400) or for a dead token (401). */
  renew(value: string): LoginAnswer {
    const token = this.live(value);
    const now = this.now();
    if (token.maxTtl > 0 && now + token.ttl * 1000 > token.createdAt + token.maxTtl * 1000) {
      throw badRequest(`Failed to renew MI access token due to Max TTL expiration: renewing would outlive access_token_max_ttl (${token.maxTtl}s); log in again`);
    }
    token.renewedAt = now;
    return this.answer(value, token);
  }

  /** The revoked token; undefined when it is unknown or already revoked (Infisical answers 401 then). */
  revoke(value: string): AccessToken | undefined {
    const token = this.byDigest.get(secretDigest(value).toString("hex"));
    if (!token || token.revoked) return undefined;
    token.revoked = true;
    return token;
  }

  /** Revokes every token of the identity (its auth method was detached); how many were live. */
  revokeIdentity(identityId: string): number {
    let revoked = 0;
    for (const token of this.byDigest.values()) {
      if (token.identityId === identityId && !token.revoked) {
        token.revoked = true;
        revoked++;
      }
    }
    return revoked;
  }

  private live(value: string): AccessToken {
    const token = this.byDigest.get(secretDigest(value).toString("hex"));
    if (!token) throw unauthorized("Invalid access token: it is not one this server issued; log in to get a token");
    if (token.revoked) throw unauthorized("Access token has been revoked; log in again");
    const now = this.now();
    if (token.ttl > 0 && now >= token.renewedAt + token.ttl * 1000) {
      throw unauthorized(`Failed to authenticate MI access token due to TTL expiration: it expired after ${token.ttl}s; renew before the TTL ends or log in again`);
    }
    if (token.maxTtl > 0 && now >= token.createdAt + token.maxTtl * 1000) {
      throw unauthorized(`Failed to authenticate MI access token due to Max TTL expiration: it is older than ${token.maxTtl}s; log in again`);
    }
    return token;
  }

  private answer(value: string, token: AccessToken): LoginAnswer {
    return { accessToken: value, expiresIn: token.ttl, accessTokenMaxTTL: token.maxTtl, tokenType: "Bearer" };
  }
}
