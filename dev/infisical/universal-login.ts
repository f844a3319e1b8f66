// POST /api/v1/auth/universal-auth/login: a client id and one of its client secrets (compared as
// digests, in constant time) for an access token with the universal auth's limits. Wrong
// credentials are 401 "Invalid credentials", whichever half was wrong. Infisical's lockout after
// repeated failures is not emulated.
import { timingSafeEqual } from "node:crypto";
import { addressAllowed, parseCidrs } from "../vault/core/cidrs.ts";
import type { AccessToken, AccessTokens, LoginAnswer } from "./access-tokens.ts";
import { forbidden, unauthorized } from "./errors.ts";
import { secretDigest, type InfisicalStore } from "./store.ts";

const invalid = () => unauthorized("Invalid credentials: the client id or client secret is wrong; check both against the identity's universal auth");

export function universalLogin(
  deps: { readonly store: InfisicalStore; readonly tokens: AccessTokens; readonly now: () => number },
  clientId: string,
  clientSecret: string,
  remoteAddress: string,
): { answer: LoginAnswer; token: AccessToken } {
  const config = deps.store.universalAuthByClientId(clientId);
  if (!config) throw invalid();
  const trusted = config.clientSecretTrustedIps.filter((ip) => ip !== "0.0.0.0/0" && ip !== "::/0");
  const list = trusted.length > 0 && trusted.length === config.clientSecretTrustedIps.length ? parseCidrs(trusted) : undefined;
  if (list && !addressAllowed(list, remoteAddress)) {
    throw forbidden(`Access denied: the login comes from ${remoteAddress}, outside the client secret's trusted IPs; log in from a trusted address`);
  }
  const presented = secretDigest(clientSecret);
  const secret = config.clientSecrets.find((candidate) => timingSafeEqual(candidate.digest, presented));
  if (!secret) throw invalid();
  if (secret.ttl > 0 && deps.now() >= secret.createdAt + secret.ttl * 1000) {
    throw unauthorized("Failed to authenticate identity credentials due to expired client secret; create a new client secret");
  }
  if (secret.usesLimit > 0 && secret.uses >= secret.usesLimit) {
    throw unauthorized("Failed to authenticate identity credentials due to client secret number of uses limit reached; create a new client secret");
  }
  secret.uses++;
  return deps.tokens.issue(config.identityId, "universal-auth", config);
}
