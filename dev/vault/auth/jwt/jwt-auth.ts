// The JWT auth method at one mount: config, roles and login, following Vault's JWT plugin. Login
// applies the plugin's checks in its order and answers with its messages; every refusal is a 400
// except a caller outside token_bound_cidrs (403), as in Vault.
import { createHash } from "node:crypto";
import * as z from "zod";
import type { Backend, RequestContext } from "../../core/backend.ts";
import type { VaultResult } from "../../core/envelope.ts";
import { badRequest, permissionDenied } from "../../core/errors.ts";
import { parseFields, vaultStringList } from "../../core/fields.ts";
import { createVerifier, KeySourceError, type KeyConfig, type LocalIssuer, type Verifier } from "../../../jwt/keys.ts";
import { asymmetricAlgorithms, TokenValidationError, validateToken } from "../../../jwt/validate.ts";
import { roleData, writeRole, type JwtRole } from "./jwt-role.ts";
import { boundClaimsMismatch, getClaim } from "./bound-claims.ts";
import { addressAllowed, parseCidrs } from "../../core/cidrs.ts";
import type { TokenStore } from "../../token/token-store.ts";
import { memoryScope, plainCodec, type StateScope } from "../../../persist/state-scope.ts";

export interface JwtAuthOptions {
  /** "auth/jwt/" (with the namespace prefix when there is one). */
  readonly mountPath: string;
  readonly namespace: string;
  readonly local: LocalIssuer;
  readonly tokens: TokenStore;
  readonly now: () => number;
  readonly state?: StateScope;
}

interface JwtConfig {
  readonly oidcDiscoveryUrl: string;
  readonly jwksUrl: string;
  readonly jwtValidationPubkeys: readonly string[];
  readonly boundIssuer: string;
  readonly jwtSupportedAlgs: readonly string[];
  readonly defaultRole: string;
  /** Where the keys come from: the signature check is built from it (again after a restart). */
  readonly source: KeyConfig;
}

const configFields = z.object({
  oidc_discovery_url: z.string().optional(),
  jwks_url: z.string().optional(),
  jwt_validation_pubkeys: vaultStringList.optional(),
  bound_issuer: z.string().optional(),
  jwt_supported_algs: vaultStringList.optional(),
  default_role: z.string().optional(),
});

const loginFields = z.object({ role: z.string().optional(), jwt: z.string().optional() });

/** A stable, UUID-shaped entity id per mount and user: the same job identity maps to the same entity. */
export function entityId(mountPath: string, alias: string): string {
  const hex = createHash("sha256").update(`${mountPath}\0${alias}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function createJwtAuth(options: JwtAuthOptions): Backend {
  const state = options.state ?? memoryScope;
  const configs = state.map("config", plainCodec<JwtConfig>());
  const roles = state.map("roles", plainCodec<JwtRole>());
  // The check built for the current config; a restored config gets its check at its first login.
  let verifier: { readonly config: JwtConfig; readonly verify: Promise<Verifier> } | undefined;

  async function verifierFor(config: JwtConfig): Promise<Verifier> {
    if (verifier?.config !== config) verifier = { config, verify: createVerifier(config.source, options.local) };
    const current = verifier;
    try {
      return await current.verify;
    } catch (error) {
      // Not kept: the next login tries the key source again.
      if (verifier === current) verifier = undefined;
      if (error instanceof KeySourceError) throw badRequest(error.message);
      throw error;
    }
  }
  // "auth/jwt/" → "jwt": Vault prefixes display names with the mount path.
  const mountName = options.mountPath.slice(options.namespace.length + "auth/".length, -1).replaceAll("/", "-");

  async function writeConfig(request: RequestContext): Promise<undefined> {
    const fields = parseFields(configFields, request.data, request.warn);
    const sources: KeyConfig[] = [
      ...(fields.oidc_discovery_url ? [{ oidcDiscoveryUrl: fields.oidc_discovery_url }] : []),
      ...(fields.jwks_url ? [{ jwksUrl: fields.jwks_url }] : []),
      ...(fields.jwt_validation_pubkeys?.length ? [{ publicKeys: fields.jwt_validation_pubkeys }] : []),
    ];
    if (sources.length !== 1) {
      throw badRequest("exactly one of 'jwt_validation_pubkeys', 'jwks_url' or 'oidc_discovery_url' must be set");
    }
    const algorithms = fields.jwt_supported_algs ?? [];
    const unsupported = algorithms.find((algorithm) => !asymmetricAlgorithms.includes(algorithm));
    if (unsupported !== undefined) throw badRequest(`Invalid supported algorithm: ${unsupported}`);
    let verify: Verifier;
    try {
      verify = await createVerifier(sources[0]!, options.local);
    } catch (error) {
      if (error instanceof KeySourceError) throw badRequest(error.message);
      throw error;
    }
    const config: JwtConfig = {
      oidcDiscoveryUrl: fields.oidc_discovery_url ?? "",
      jwksUrl: fields.jwks_url ?? "",
      jwtValidationPubkeys: fields.jwt_validation_pubkeys ?? [],
      boundIssuer: fields.bound_issuer ?? "",
      jwtSupportedAlgs: algorithms,
      defaultRole: (fields.default_role ?? "").toLowerCase(),
      source: sources[0]!,
    };
    configs.set("config", config);
    verifier = { config, verify: Promise.resolve(verify) };
    return undefined;
  }

  function readConfig(): VaultResult | undefined {
    const config = configs.get("config");
    if (!config) return undefined;
    return {
      data: {
        oidc_discovery_url: config.oidcDiscoveryUrl,
        jwks_url: config.jwksUrl,
        jwt_validation_pubkeys: config.jwtValidationPubkeys,
        bound_issuer: config.boundIssuer,
        jwt_supported_algs: config.jwtSupportedAlgs,
        default_role: config.defaultRole,
      },
    };
  }

  async function login(request: RequestContext): Promise<VaultResult> {
    const config = configs.get("config");
    if (!config) throw badRequest("could not load configuration");
    const fields = parseFields(loginFields, request.data, request.warn);
    const roleName = (fields.role || config.defaultRole).toLowerCase();
    if (roleName === "") throw badRequest("missing role");
    const role = roles.get(roleName);
    if (!role) throw badRequest(`role "${roleName}" could not be found`);
    if (role.roleType === "oidc") throw badRequest("role with oidc role_type is not allowed");
    if (!fields.jwt) throw badRequest("missing token");
    if (role.tokenBoundCidrs.length > 0 && !addressAllowed(parseCidrs(role.tokenBoundCidrs)!, request.remoteAddress)) {
      throw permissionDenied();
    }

    let claims: Record<string, unknown>;
    try {
      const verify = await verifierFor(config);
      claims = await validateToken(fields.jwt, verify, {
        issuer: config.boundIssuer,
        subject: role.boundSubject,
        audiences: role.boundAudiences,
        algorithms: config.jwtSupportedAlgs,
        clockSkewLeeway: role.clockSkewLeeway,
        expirationLeeway: role.expirationLeeway,
        notBeforeLeeway: role.notBeforeLeeway,
        nowSeconds: Math.floor(options.now() / 1000),
      });
    } catch (error) {
      if (error instanceof TokenValidationError) throw badRequest(`error validating token: ${error.message}`);
      throw error;
    }

    // Vault ≥ 1.17 (CVE-2024-5798): a token with an audience needs a role that binds audiences.
    const audience = claims.aud;
    const hasAudience = typeof audience === "string" ? audience !== "" : Array.isArray(audience) && audience.length > 0;
    if (hasAudience && role.boundAudiences.length === 0) {
      throw badRequest("audience claim found in JWT but no audiences bound to the role");
    }

    const userValue = role.userClaimJsonPointer ? getClaim(claims, role.userClaim) : claims[role.userClaim];
    if (userValue === undefined || userValue === null) throw badRequest(`claim "${role.userClaim}" not found in token`);
    if (typeof userValue !== "string") throw badRequest(`claim "${role.userClaim}" could not be converted to string`);

    const metadata: Record<string, string> = { role: roleName };
    for (const [source, target] of Object.entries(role.claimMappings ?? {})) {
      const value = getClaim(claims, source);
      if (value === undefined || value === null) continue;
      if (typeof value !== "string") throw badRequest(`error converting claim '${source}' to string`);
      metadata[target] = value;
    }

    const mismatch = role.boundClaims ? boundClaimsMismatch(role.boundClaims, role.boundClaimsType, claims) : undefined;
    if (mismatch) throw badRequest(`error validating claims: ${mismatch}`);

    const { token, entry } = options.tokens.issue({
      policies: role.tokenPolicies,
      noDefaultPolicy: role.tokenNoDefaultPolicy,
      meta: metadata,
      displayName: `${mountName}-${userValue}`,
      path: `${options.mountPath.slice(options.namespace.length)}login`,
      entityId: entityId(options.mountPath, userValue),
      namespace: options.namespace,
      ttl: role.tokenTtl,
      maxTtl: role.tokenMaxTtl,
      explicitMaxTtl: role.tokenExplicitMaxTtl,
      numUses: role.tokenNumUses,
      boundCidrs: role.tokenBoundCidrs,
    });
    return { auth: options.tokens.authBlock(token, entry) };
  }

  const roleName = (request: RequestContext): string => request.params.name!.toLowerCase();

  return {
    type: "jwt",
    routes: [
      { pattern: /^config$/, exists: () => configs.has("config"), read: readConfig, write: writeConfig },
      { pattern: /^role\/?$/, list: () => ({ data: { keys: [...roles.keys()].sort() } }) },
      {
        pattern: /^role\/(?<name>[\w.@-]+)$/,
        exists: (params) => roles.has(params.name!.toLowerCase()),
        read: (request) => {
          const role = roles.get(roleName(request));
          return role ? { data: roleData(role) } : undefined;
        },
        write: (request) => {
          roles.set(roleName(request), writeRole(roles.get(roleName(request)), request.data, request.warn));
          return undefined;
        },
        delete: (request) => {
          roles.delete(roleName(request));
          return undefined;
        },
      },
      { pattern: /^login$/, unauthenticated: true, write: login },
    ],
  };
}
