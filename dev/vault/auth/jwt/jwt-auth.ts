// The JWT auth method at one mount: config, roles and login, following Vault's JWT plugin. Login
// applies the plugin's checks in its order and answers with its messages; every refusal is a 400
// except a caller outside token_bound_cidrs (403), as in Vault.
import { createHash } from "node:crypto";
import * as z from "zod";
import type { Backend, RequestContext, Route } from "../../core/backend.ts";
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

/** The one key source a config names: discovery, a JWKS URL, or public keys. */
function keySource(fields: z.infer<typeof configFields>): KeyConfig {
  const sources: KeyConfig[] = [
    ...(fields.oidc_discovery_url ? [{ oidcDiscoveryUrl: fields.oidc_discovery_url }] : []),
    ...(fields.jwks_url ? [{ jwksUrl: fields.jwks_url }] : []),
    ...(fields.jwt_validation_pubkeys?.length ? [{ publicKeys: fields.jwt_validation_pubkeys }] : []),
  ];
  if (sources.length !== 1) {
    throw badRequest("exactly one of 'jwt_validation_pubkeys', 'jwks_url' or 'oidc_discovery_url' must be set");
  }
  return sources[0]!;
}

function configData(config: JwtConfig): VaultResult {
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

/** After the signature and registered claims: audience binding, the user claim, claim mappings, bound claims (Vault's order). */
function checkClaims(role: JwtRole, roleName: string, claims: Record<string, unknown>): { user: string; metadata: Record<string, string> } {
  // Vault ≥ 1.17 (CVE-2024-5798): a token with an audience needs a role that binds audiences.
  const audience = claims.aud;
  const hasAudience = typeof audience === "string" ? audience !== "" : Array.isArray(audience) && audience.length > 0;
  if (hasAudience && role.boundAudiences.length === 0) {
    throw badRequest("audience claim found in JWT but no audiences bound to the role");
  }

  const user = role.userClaimJsonPointer ? getClaim(claims, role.userClaim) : claims[role.userClaim];
  if (user === undefined || user === null) throw badRequest(`claim "${role.userClaim}" not found in token`);
  if (typeof user !== "string") throw badRequest(`claim "${role.userClaim}" could not be converted to string`);

  const metadata: Record<string, string> = { role: roleName };
  for (const [source, target] of Object.entries(role.claimMappings ?? {})) {
    const value = getClaim(claims, source);
    if (value === undefined || value === null) continue;
    if (typeof value !== "string") throw badRequest(`error converting claim '${source}' to string`);
    metadata[target] = value;
  }

  const mismatch = role.boundClaims ? boundClaimsMismatch(role.boundClaims, role.boundClaimsType, claims) : undefined;
  if (mismatch) throw badRequest(`error validating claims: ${mismatch}`);
  return { user, metadata };
}

const roleNameOf = (request: RequestContext): string => request.params.name!.toLowerCase();

/** One JWT mount's config and roles, the signature check built from the config, and a named handler per operation. */
class JwtMount {
  private readonly configs: Map<string, JwtConfig>;
  readonly roles: Map<string, JwtRole>;
  /** The check built for the current config; a restored config gets its check at its first login. */
  private verifier: { readonly config: JwtConfig; readonly verify: Promise<Verifier> } | undefined;
  /** "auth/jwt/" → "jwt": Vault prefixes display names with the mount path. */
  private readonly mountName: string;

  constructor(private readonly options: JwtAuthOptions) {
    const state = options.state ?? memoryScope;
    this.configs = state.map("config", plainCodec<JwtConfig>());
    this.roles = state.map("roles", plainCodec<JwtRole>());
    this.mountName = options.mountPath.slice(options.namespace.length + "auth/".length, -1).replaceAll("/", "-");
  }

  hasConfig(): boolean {
    return this.configs.has("config");
  }

  readConfig(): VaultResult | undefined {
    const config = this.configs.get("config");
    return config ? configData(config) : undefined;
  }

  async writeConfig(request: RequestContext): Promise<undefined> {
    const fields = parseFields(configFields, request.data, request.warn);
    const source = keySource(fields);
    const algorithms = fields.jwt_supported_algs ?? [];
    const unsupported = algorithms.find((algorithm) => !asymmetricAlgorithms.includes(algorithm));
    if (unsupported !== undefined) throw badRequest(`Invalid supported algorithm: ${unsupported}`);
    let verify: Verifier;
    try {
      verify = await createVerifier(source, this.options.local);
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
      source,
    };
    this.configs.set("config", config);
    this.verifier = { config, verify: Promise.resolve(verify) };
    return undefined;
  }

  readRole(request: RequestContext): VaultResult | undefined {
    const role = this.roles.get(roleNameOf(request));
    return role ? { data: roleData(role) } : undefined;
  }

  writeRole(request: RequestContext): undefined {
    this.roles.set(roleNameOf(request), writeRole(this.roles.get(roleNameOf(request)), request.data, request.warn));
    return undefined;
  }

  deleteRole(request: RequestContext): undefined {
    this.roles.delete(roleNameOf(request));
    return undefined;
  }

  /** The plugin's checks in its order: config, role, token present, CIDRs, then the token itself and its claims. */
  async login(request: RequestContext): Promise<VaultResult> {
    const config = this.configs.get("config");
    if (!config) throw badRequest("could not load configuration");
    const fields = parseFields(loginFields, request.data, request.warn);
    const roleName = (fields.role || config.defaultRole).toLowerCase();
    if (roleName === "") throw badRequest("missing role");
    const role = this.roles.get(roleName);
    if (!role) throw badRequest(`role "${roleName}" could not be found`);
    if (role.roleType === "oidc") throw badRequest("role with oidc role_type is not allowed");
    if (!fields.jwt) throw badRequest("missing token");
    if (role.tokenBoundCidrs.length > 0 && !addressAllowed(parseCidrs(role.tokenBoundCidrs)!, request.remoteAddress)) {
      throw permissionDenied();
    }
    const claims = await this.validate(fields.jwt, config, role);
    const { user, metadata } = checkClaims(role, roleName, claims);
    const { mountPath, namespace, tokens } = this.options;
    const { token, entry } = tokens.issue({
      policies: role.tokenPolicies,
      noDefaultPolicy: role.tokenNoDefaultPolicy,
      meta: metadata,
      displayName: `${this.mountName}-${user}`,
      path: `${mountPath.slice(namespace.length)}login`,
      entityId: entityId(mountPath, user),
      namespace,
      ttl: role.tokenTtl,
      maxTtl: role.tokenMaxTtl,
      explicitMaxTtl: role.tokenExplicitMaxTtl,
      numUses: role.tokenNumUses,
      boundCidrs: role.tokenBoundCidrs,
    });
    return { auth: tokens.authBlock(token, entry) };
  }

  /** Signature, algorithm, registered and time claims (the shared JWT validation, in Vault's order). */
  private async validate(jwt: string, config: JwtConfig, role: JwtRole): Promise<Record<string, unknown>> {
    try {
      const verify = await this.verifierFor(config);
      return await validateToken(jwt, verify, {
        issuer: config.boundIssuer,
        subject: role.boundSubject,
        audiences: role.boundAudiences,
        algorithms: config.jwtSupportedAlgs,
        clockSkewLeeway: role.clockSkewLeeway,
        expirationLeeway: role.expirationLeeway,
        notBeforeLeeway: role.notBeforeLeeway,
        nowSeconds: Math.floor(this.options.now() / 1000),
      });
    } catch (error) {
      if (error instanceof TokenValidationError) throw badRequest(`error validating token: ${error.message}`);
      throw error;
    }
  }

  private async verifierFor(config: JwtConfig): Promise<Verifier> {
    if (this.verifier?.config !== config) this.verifier = { config, verify: createVerifier(config.source, this.options.local) };
    const current = this.verifier;
    try {
      return await current.verify;
    } catch (error) {
      // Not kept: the next login tries the key source again.
      if (this.verifier === current) this.verifier = undefined;
      if (error instanceof KeySourceError) throw badRequest(error.message);
      throw error;
    }
  }
}

function jwtRoutes(mount: JwtMount): Route[] {
  return [
    { pattern: /^config$/, exists: () => mount.hasConfig(), read: () => mount.readConfig(), write: (request) => mount.writeConfig(request) },
    { pattern: /^role\/?$/, list: () => ({ data: { keys: [...mount.roles.keys()].sort() } }) },
    {
      pattern: /^role\/(?<name>[\w.@-]+)$/,
      exists: (params) => mount.roles.has(params.name!.toLowerCase()),
      read: (request) => mount.readRole(request),
      write: (request) => mount.writeRole(request),
      delete: (request) => mount.deleteRole(request),
    },
    { pattern: /^login$/, unauthenticated: true, write: (request) => mount.login(request) },
  ];
}

export function createJwtAuth(options: JwtAuthOptions): Backend {
  return { type: "jwt", routes: jwtRoutes(new JwtMount(options)) };
}
