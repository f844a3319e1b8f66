// Where a JWT auth mount gets the keys that check token signatures. A configuration that names the
// emulated issuer (GitHub's URL, or whatever --issuer is) or the local /_oidc URLs is served from
// the emulator's keys in-process, so a production configuration works unchanged and offline. Any
// other discovery or JWKS URL is fetched, with a timeout, as Vault would.
import { withCode } from "../../policy/errors/keybridge-error.ts";
import { createPublicKey, type KeyObject } from "node:crypto";
import * as z from "zod";
import {
  compactVerify,
  createLocalJWKSet,
  createRemoteJWKSet,
  type CompactVerifyResult,
  type JSONWebKeySet,
} from "jose";

/** The emulator, as the JWT auth backend needs to know it. */
export interface LocalIssuer {
  /** Discovery base URLs that mean "the emulator" (the issuer and the local /_oidc base). */
  readonly discoveryUrls: ReadonlySet<string>;
  /** JWKS URLs that mean "the emulator". */
  readonly jwksUrls: ReadonlySet<string>;
  readonly jwks: JSONWebKeySet;
}

export type KeyConfig =
  | { readonly oidcDiscoveryUrl: string }
  | { readonly jwksUrl: string }
  | { readonly publicKeys: readonly string[] };

export type Verifier = (token: string, algorithms: readonly string[]) => Promise<CompactVerifyResult>;

export class KeySourceError extends withCode("KB_DEV_CONFIG_INVALID") {}

const fetchTimeoutMs = 10_000;
const discoveryDocument = z.object({ issuer: z.string(), jwks_uri: z.url() });

const withoutTrailingSlash = (url: string): string => url.replace(/\/+$/, "");

/** Builds the signature check for a configuration; may fetch (discovery, JWKS) for non-local URLs. */
export async function createVerifier(config: KeyConfig, local: LocalIssuer): Promise<Verifier> {
  if ("publicKeys" in config) {
    const keys = config.publicKeys.map(parsePublicKey);
    return async (token, algorithms) => {
      for (const key of keys) {
        try {
          return await compactVerify(token, key, { algorithms: [...algorithms] });
        } catch {
          // Try the next configured key; the error below covers all of them.
        }
      }
      throw new Error("no known key successfully validated the token signature");
    };
  }
  if ("jwksUrl" in config) {
    const url = withoutTrailingSlash(config.jwksUrl);
    if (local.jwksUrls.has(url)) return localVerifier(local);
    return remoteVerifier(url, "error checking jwks URL");
  }
  const base = withoutTrailingSlash(config.oidcDiscoveryUrl);
  if (local.discoveryUrls.has(base)) return localVerifier(local);
  const document = await fetchDiscovery(base);
  return remoteVerifier(document.jwks_uri, "error checking oidc discovery URL");
}

function localVerifier(local: LocalIssuer): Verifier {
  const keySet = createLocalJWKSet(local.jwks);
  return (token, algorithms) => compactVerify(token, keySet, { algorithms: [...algorithms] });
}

async function remoteVerifier(url: string, context: string): Promise<Verifier> {
  const keySet = createRemoteJWKSet(new URL(url), { timeoutDuration: fetchTimeoutMs });
  try {
    await keySet.reload();
  } catch (error) {
    throw new KeySourceError(`${context}: fetching ${url} failed: ${(error as Error).message}`);
  }
  return (token, algorithms) => compactVerify(token, keySet, { algorithms: [...algorithms] });
}

async function fetchDiscovery(base: string): Promise<z.infer<typeof discoveryDocument>> {
  const url = `${base}/.well-known/openid-configuration`;
  const fail = (reason: string): never => {
    throw new KeySourceError(`error checking oidc discovery URL: ${url}: ${reason}`);
  };
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(fetchTimeoutMs) });
  } catch (error) {
    return fail((error as Error).message);
  }
  if (!response.ok) return fail(`answered ${response.status}`);
  const parsed = discoveryDocument.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) return fail("not an OpenID discovery document");
  // go-oidc refuses a provider whose document names another issuer.
  if (withoutTrailingSlash(parsed.data.issuer) !== base) {
    return fail(`issuer did not match the issuer returned by provider, expected "${base}" got "${parsed.data.issuer}"`);
  }
  return parsed.data;
}

function parsePublicKey(pem: string): KeyObject {
  try {
    return createPublicKey(pem);
  } catch {
    throw new KeySourceError("error parsing public key: jwt_validation_pubkeys must hold PEM public keys or certificates");
  }
}
