// The AppRole auth method at one mount, following Vault's approle plugin: roles, their role ID,
// secret IDs (generated or custom, with TTL, use limit and CIDR bounds) and login, which issues a
// token like the JWT login's. Login refusals use the plugin's words; a secret ID is never echoed.
import { randomUUID } from "node:crypto";
import * as z from "zod";
import type { Backend, RequestContext, Route } from "../../core/backend.ts";
import type { VaultResult } from "../../core/envelope.ts";
import { badRequest, VaultError } from "../../core/errors.ts";
import { parseFields, vaultDuration, vaultInt, vaultStringList } from "../../core/fields.ts";
import { appRoleData, writeAppRole, type AppRole } from "./approle-role.ts";
import { SecretIdStore, type SecretIdEntry } from "./approle-secret-ids.ts";
import { addressAllowed, cidrsWithin, parseCidrs } from "../../core/cidrs.ts";
import { entityId } from "../jwt/jwt-auth.ts";
import type { TokenStore } from "../../token/token-store.ts";
import { memoryScope, type Codec, type StateScope } from "../../../persist/state-scope.ts";

export interface AppRoleAuthOptions {
  /** "auth/approle/" (with the namespace prefix when there is one). */
  readonly mountPath: string;
  readonly namespace: string;
  readonly tokens: TokenStore;
  readonly now: () => number;
  readonly state?: StateScope;
}

interface StoredRole {
  role: AppRole;
  roleId: string;
  readonly secretIds: SecretIdStore;
}

// hvac sends `null` for what it was not given.
const loginFields = z.object({ role_id: z.string().nullish(), secret_id: z.string().nullish() });
const secretIdFields = z.object({
  secret_id: z.string().nullish(),
  metadata: z.union([z.string(), z.record(z.string(), z.string())]).nullish(),
  cidr_list: vaultStringList.nullish(),
  token_bound_cidrs: vaultStringList.nullish(),
  num_uses: vaultInt.nullish(),
  ttl: vaultDuration.nullish(),
});
const secretIdField = z.object({ secret_id: z.string().nullish() });
const accessorField = z.object({ secret_id_accessor: z.string().nullish() });
const roleIdField = z.object({ role_id: z.string().nullish() });

const roleName = String.raw`(?<name>\w(?:[\w.-]*\w)?)`;
const rolePath = (rest = "") => new RegExp(String.raw`^role\/${roleName}${rest}$`);

/** The caller's address as Vault prints it: IPv4 clients of a dual-stack socket without the ::ffff: prefix. */
const plainAddress = (address: string): string => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");

/** Vault's metadata field: a JSON object of strings, given as JSON text (or, from some clients, as an object). */
function parseMetadata(raw: string | Record<string, string> | null | undefined): Record<string, string> {
  if (raw == null || raw === "") return {};
  if (typeof raw !== "string") return raw;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  const valid = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) && Object.values(parsed).every((value) => typeof value === "string");
  if (!valid) throw badRequest("failed to parse metadata: it must be a JSON object of string values");
  return parsed as Record<string, string>;
}

export function createAppRoleAuth(options: AppRoleAuthOptions): Backend {
  const state = options.state ?? memoryScope;
  // Each role's secret IDs live in a scope of their own, dropped with the role.
  const secretIdScope = (name: string): StateScope => state.child(`secret-ids:${name}`);
  const roleCodec: Codec<StoredRole> = {
    encode: ({ role, roleId }) => ({ role, roleId }),
    decode: (json, name) => {
      const { role, roleId } = json as Pick<StoredRole, "role" | "roleId">;
      return { role, roleId, secretIds: new SecretIdStore(options.now, secretIdScope(name)) };
    },
  };
  const roles = state.map("roles", roleCodec);
  /** An index of roles, rebuilt from it: not saved. */
  const roleNameById = new Map<string, string>();
  for (const [name, stored] of roles) roleNameById.set(stored.roleId, name);

  const nameOf = (request: RequestContext): string => request.params.name!.toLowerCase();

  /** A role the path names, or Vault's 404 for sub-paths of a role that does not exist. */
  function existingRole(request: RequestContext): StoredRole {
    const stored = roles.get(nameOf(request));
    if (!stored) throw new VaultError(404, [`role "${request.params.name}" does not exist`]);
    return stored;
  }

  function setRoleId(name: string, stored: StoredRole, roleId: string): void {
    const owner = roleNameById.get(roleId);
    if (owner !== undefined && owner !== name) throw badRequest("role_id already in use");
    roleNameById.delete(stored.roleId);
    stored.roleId = roleId;
    roleNameById.set(roleId, name);
  }

  function writeRole(request: RequestContext): undefined {
    const name = nameOf(request);
    const existing = roles.get(name);
    const { role, roleId } = writeAppRole(existing?.role, request.data, request.warn);
    if (roleId === "") throw badRequest("missing role_id");
    if (existing) {
      existing.role = role;
      if (roleId !== undefined) setRoleId(name, existing, roleId);
      return undefined;
    }
    const newRoleId = roleId ?? randomUUID();
    // Checked before the role's secret ID store is opened, so a refusal leaves nothing behind.
    if (roleNameById.has(newRoleId)) throw badRequest("role_id already in use");
    const stored: StoredRole = { role, roleId: "", secretIds: new SecretIdStore(options.now, secretIdScope(name)) };
    setRoleId(name, stored, newRoleId);
    roles.set(name, stored);
    return undefined;
  }

  function deleteRole(request: RequestContext): undefined {
    const name = nameOf(request);
    const stored = roles.get(name);
    if (stored) roleNameById.delete(stored.roleId);
    // Its secret IDs go with it, as Vault flushes them.
    roles.delete(name);
    if (stored) secretIdScope(name).drop();
    return undefined;
  }

  /** secret-id and custom-secret-id: the role's limits apply, and a secret ID may only narrow them. */
  function issueSecretId(request: RequestContext, custom: boolean): VaultResult {
    const stored = existingRole(request);
    const { role } = stored;
    const fields = parseFields(secretIdFields, request.data, request.warn);
    if (!role.bindSecretId) throw badRequest("bind_secret_id is not set on the role");
    if (custom && !fields.secret_id) throw badRequest("missing secret_id");
    const numUses = fields.num_uses ?? role.secretIdNumUses;
    if (numUses < 0) throw badRequest("num_uses cannot be negative");
    if (role.secretIdNumUses > 0 && (numUses === 0 || numUses > role.secretIdNumUses)) {
      throw badRequest("num_uses cannot be higher than the role's secret_id_num_uses");
    }
    const ttl = fields.ttl ?? role.secretIdTtl;
    if (role.secretIdTtl > 0 && (ttl === 0 || ttl > role.secretIdTtl)) throw badRequest("ttl cannot be longer than the role's secret_id_ttl");
    const cidrList = fields.cidr_list ?? [];
    const tokenBoundCidrs = fields.token_bound_cidrs ?? [];
    for (const [name, cidrs] of [["cidr_list", cidrList], ["token_bound_cidrs", tokenBoundCidrs]] as const) {
      if (!parseCidrs(cidrs)) throw badRequest(`invalid ${name}: ${cidrs.join(",")}`);
    }
    if (!cidrsWithin(cidrList, role.secretIdBoundCidrs)) {
      throw badRequest(`failed to verify subset relationship between CIDR blocks on the role [${role.secretIdBoundCidrs.join(" ")}] and CIDR blocks on the secret ID [${cidrList.join(" ")}]`);
    }
    if (!cidrsWithin(tokenBoundCidrs, role.tokenBoundCidrs)) {
      throw badRequest(`failed to verify subset relationship between the token CIDR blocks on the role [${role.tokenBoundCidrs.join(" ")}] and the token CIDR blocks on the secret ID [${tokenBoundCidrs.join(" ")}]`);
    }
    const metadata = parseMetadata(fields.metadata);
    const issued = stored.secretIds.issue({ numUses, ttl, metadata, cidrList, tokenBoundCidrs }, custom ? fields.secret_id! : undefined);
    if (!issued) throw badRequest("SecretID is already registered");
    return {
      data: {
        secret_id: issued.secretId,
        secret_id_accessor: issued.entry.accessor,
        secret_id_ttl: issued.entry.ttl,
        secret_id_num_uses: issued.entry.numUses,
      },
    };
  }

  function secretIdOf(request: RequestContext): string {
    const { secret_id } = parseFields(secretIdField, request.data, request.warn);
    if (!secret_id) throw badRequest("missing secret_id");
    return secret_id;
  }

  function accessorOf(request: RequestContext): string {
    const { secret_id_accessor } = parseFields(accessorField, request.data, request.warn);
    if (!secret_id_accessor) throw badRequest("missing secret_id_accessor");
    return secret_id_accessor;
  }

  const lookupResult = (stored: StoredRole, entry: SecretIdEntry | undefined): VaultResult | undefined =>
    entry ? { data: stored.secretIds.lookupData(entry) } : undefined;

  /** Vault's order: role id, then the secret ID (its use counted before its CIDRs are checked), then the role's CIDRs. */
  function login(request: RequestContext): VaultResult {
    const fields = parseFields(loginFields, request.data, request.warn);
    const roleId = (fields.role_id ?? "").trim();
    if (roleId === "") throw badRequest("missing role_id");
    const name = roleNameById.get(roleId);
    const stored = name === undefined ? undefined : roles.get(name);
    if (!stored || name === undefined) throw badRequest("invalid role or secret ID");
    const { role } = stored;
    const address = plainAddress(request.remoteAddress);
    let entry: SecretIdEntry | undefined;
    if (role.bindSecretId) {
      const secretId = (fields.secret_id ?? "").trim();
      if (secretId === "") throw badRequest("missing secret_id");
      entry = stored.secretIds.find(secretId);
      if (!entry) throw badRequest("invalid role or secret ID");
      stored.secretIds.consume(secretId);
      if (entry.cidrList.length > 0 && !addressAllowed(parseCidrs(entry.cidrList)!, address)) {
        throw badRequest(`source address "${address}" unauthorized through CIDR restrictions on the secret ID`);
      }
    }
    if (role.secretIdBoundCidrs.length > 0 && !addressAllowed(parseCidrs(role.secretIdBoundCidrs)!, address)) {
      throw badRequest(`source address "${address}" unauthorized by CIDR restrictions on the role`);
    }
    const { token, entry: tokenEntry } = options.tokens.issue({
      policies: role.tokenPolicies,
      noDefaultPolicy: role.tokenNoDefaultPolicy,
      meta: { ...entry?.metadata, role_name: name },
      displayName: "approle",
      path: `${options.mountPath.slice(options.namespace.length)}login`,
      entityId: entityId(options.mountPath, stored.roleId),
      namespace: options.namespace,
      ttl: role.tokenTtl,
      maxTtl: role.tokenMaxTtl,
      explicitMaxTtl: role.tokenExplicitMaxTtl,
      numUses: role.tokenNumUses,
      boundCidrs: entry && entry.tokenBoundCidrs.length > 0 ? entry.tokenBoundCidrs : role.tokenBoundCidrs,
    });
    return { auth: options.tokens.authBlock(token, tokenEntry) };
  }

  const routes: Route[] = [
    { pattern: /^login$/, unauthenticated: true, write: login },
    { pattern: /^role\/?$/, list: () => ({ data: { keys: [...roles.keys()].sort() } }) },
    {
      pattern: rolePath(String.raw`\/role-id`),
      read: (request) => {
        const stored = roles.get(nameOf(request));
        return stored ? { data: { role_id: stored.roleId } } : undefined;
      },
      write: (request) => {
        const stored = existingRole(request);
        const { role_id } = parseFields(roleIdField, request.data, request.warn);
        if (!role_id) throw badRequest("missing role_id");
        setRoleId(nameOf(request), stored, role_id);
        return undefined;
      },
    },
    {
      pattern: rolePath(String.raw`\/secret-id\/lookup`),
      write: (request) => {
        const stored = existingRole(request);
        return lookupResult(stored, stored.secretIds.find(secretIdOf(request)));
      },
    },
    {
      pattern: rolePath(String.raw`\/secret-id\/destroy`),
      write: (request) => void existingRole(request).secretIds.destroy(secretIdOf(request)),
      delete: (request) => void existingRole(request).secretIds.destroy(secretIdOf(request)),
    },
    {
      pattern: rolePath(String.raw`\/secret-id-accessor\/lookup`),
      write: (request) => {
        const stored = existingRole(request);
        const accessor = accessorOf(request);
        const entry = stored.secretIds.byAccessor(accessor);
        if (!entry) throw badRequest(`failed to find accessor entry for secret_id_accessor: "${accessor}"`);
        return lookupResult(stored, entry);
      },
    },
    {
      pattern: rolePath(String.raw`\/secret-id-accessor\/destroy`),
      write: (request) => void existingRole(request).secretIds.destroyByAccessor(accessorOf(request)),
      delete: (request) => void existingRole(request).secretIds.destroyByAccessor(accessorOf(request)),
    },
    { pattern: rolePath(String.raw`\/custom-secret-id`), write: (request) => issueSecretId(request, true) },
    {
      pattern: rolePath(String.raw`\/secret-id\/?`),
      write: (request) => issueSecretId(request, false),
      list: (request) => ({ data: { keys: existingRole(request).secretIds.accessors() } }),
    },
    {
      pattern: rolePath(),
      exists: (params) => roles.has(params.name!.toLowerCase()),
      read: (request) => {
        const stored = roles.get(nameOf(request));
        return stored ? { data: appRoleData(stored.role) } : undefined;
      },
      write: writeRole,
      delete: deleteRole,
    },
  ];
  return { type: "approle", routes };
}
