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

type SecretIdFields = z.infer<typeof secretIdFields>;

/** A new secret ID's limits: the role's apply, and a secret ID may only narrow them. */
function secretIdLimits(role: AppRole, fields: SecretIdFields) {
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
  return { numUses, ttl, metadata: parseMetadata(fields.metadata), cidrList, tokenBoundCidrs };
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

const nameOf = (request: RequestContext): string => request.params.name!.toLowerCase();

const lookupResult = (stored: StoredRole, entry: SecretIdEntry | undefined): VaultResult | undefined =>
  entry ? { data: stored.secretIds.lookupData(entry) } : undefined;

/** One AppRole mount's roles (each with its secret IDs), and a named handler per operation. */
class AppRoleMount {
  private readonly state: StateScope;
  private readonly roles: Map<string, StoredRole>;
  /** An index of roles, rebuilt from them: not saved. */
  private readonly roleNameById = new Map<string, string>();

  constructor(private readonly options: AppRoleAuthOptions) {
    this.state = options.state ?? memoryScope;
    const roleCodec: Codec<StoredRole> = {
      encode: ({ role, roleId }) => ({ role, roleId }),
      decode: (json, name) => {
        const { role, roleId } = json as Pick<StoredRole, "role" | "roleId">;
        return { role, roleId, secretIds: new SecretIdStore(options.now, this.secretIdScope(name)) };
      },
    };
    this.roles = this.state.map("roles", roleCodec);
    for (const [name, stored] of this.roles) this.roleNameById.set(stored.roleId, name);
  }

  /** Each role's secret IDs live in a scope of their own, dropped with the role. */
  private secretIdScope(name: string): StateScope {
    return this.state.child(`secret-ids:${name}`);
  }

  hasRole(name: string): boolean {
    return this.roles.has(name.toLowerCase());
  }

  listRoles(): VaultResult {
    return { data: { keys: [...this.roles.keys()].sort() } };
  }

  /** A role the path names, or Vault's 404 for sub-paths of a role that does not exist. */
  existingRole(request: RequestContext): StoredRole {
    const stored = this.roles.get(nameOf(request));
    if (!stored) throw new VaultError(404, [`role "${request.params.name}" does not exist`]);
    return stored;
  }

  readRole(request: RequestContext): VaultResult | undefined {
    const stored = this.roles.get(nameOf(request));
    return stored ? { data: appRoleData(stored.role) } : undefined;
  }

  writeRole(request: RequestContext): undefined {
    const name = nameOf(request);
    const existing = this.roles.get(name);
    const { role, roleId } = writeAppRole(existing?.role, request.data, request.warn);
    if (roleId === "") throw badRequest("missing role_id");
    if (existing) {
      existing.role = role;
      if (roleId !== undefined) this.setRoleId(name, existing, roleId);
      return undefined;
    }
    const newRoleId = roleId ?? randomUUID();
    // Checked before the role's secret ID store is opened, so a refusal leaves nothing behind.
    if (this.roleNameById.has(newRoleId)) throw badRequest("role_id already in use");
    const stored: StoredRole = { role, roleId: "", secretIds: new SecretIdStore(this.options.now, this.secretIdScope(name)) };
    this.setRoleId(name, stored, newRoleId);
    this.roles.set(name, stored);
    return undefined;
  }

  deleteRole(request: RequestContext): undefined {
    const name = nameOf(request);
    const stored = this.roles.get(name);
    if (stored) this.roleNameById.delete(stored.roleId);
    // Its secret IDs go with it, as Vault flushes them.
    this.roles.delete(name);
    if (stored) this.secretIdScope(name).drop();
    return undefined;
  }

  readRoleId(request: RequestContext): VaultResult | undefined {
    const stored = this.roles.get(nameOf(request));
    return stored ? { data: { role_id: stored.roleId } } : undefined;
  }

  writeRoleId(request: RequestContext): undefined {
    const stored = this.existingRole(request);
    const { role_id } = parseFields(roleIdField, request.data, request.warn);
    if (!role_id) throw badRequest("missing role_id");
    this.setRoleId(nameOf(request), stored, role_id);
    return undefined;
  }

  /** secret-id and custom-secret-id. */
  issueSecretId(request: RequestContext, custom: boolean): VaultResult {
    const stored = this.existingRole(request);
    const fields = parseFields(secretIdFields, request.data, request.warn);
    if (!stored.role.bindSecretId) throw badRequest("bind_secret_id is not set on the role");
    if (custom && !fields.secret_id) throw badRequest("missing secret_id");
    const issued = stored.secretIds.issue(secretIdLimits(stored.role, fields), custom ? fields.secret_id! : undefined);
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

  lookupSecretId(request: RequestContext): VaultResult | undefined {
    const stored = this.existingRole(request);
    return lookupResult(stored, stored.secretIds.find(secretIdOf(request)));
  }

  lookupAccessor(request: RequestContext): VaultResult | undefined {
    const stored = this.existingRole(request);
    const accessor = accessorOf(request);
    const entry = stored.secretIds.byAccessor(accessor);
    if (!entry) throw badRequest(`failed to find accessor entry for secret_id_accessor: "${accessor}"`);
    return lookupResult(stored, entry);
  }

  /** Vault's order: role id, then the secret ID (its use counted before its CIDRs are checked), then the role's CIDRs. */
  login(request: RequestContext): VaultResult {
    const fields = parseFields(loginFields, request.data, request.warn);
    const roleId = (fields.role_id ?? "").trim();
    if (roleId === "") throw badRequest("missing role_id");
    const name = this.roleNameById.get(roleId);
    const stored = name === undefined ? undefined : this.roles.get(name);
    if (!stored || name === undefined) throw badRequest("invalid role or secret ID");
    const { role } = stored;
    const address = plainAddress(request.remoteAddress);
    const entry = role.bindSecretId ? this.useSecretId(stored, fields.secret_id, address) : undefined;
    if (role.secretIdBoundCidrs.length > 0 && !addressAllowed(parseCidrs(role.secretIdBoundCidrs)!, address)) {
      throw badRequest(`source address "${address}" unauthorized by CIDR restrictions on the role`);
    }
    const { mountPath, namespace, tokens } = this.options;
    const { token, entry: tokenEntry } = tokens.issue({
      policies: role.tokenPolicies,
      noDefaultPolicy: role.tokenNoDefaultPolicy,
      meta: { ...entry?.metadata, role_name: name },
      displayName: "approle",
      path: `${mountPath.slice(namespace.length)}login`,
      entityId: entityId(mountPath, stored.roleId),
      namespace,
      ttl: role.tokenTtl,
      maxTtl: role.tokenMaxTtl,
      explicitMaxTtl: role.tokenExplicitMaxTtl,
      numUses: role.tokenNumUses,
      boundCidrs: entry && entry.tokenBoundCidrs.length > 0 ? entry.tokenBoundCidrs : role.tokenBoundCidrs,
    });
    return { auth: tokens.authBlock(token, tokenEntry) };
  }

  /** The login's secret ID: found, its use counted, then its own CIDRs checked. */
  private useSecretId(stored: StoredRole, given: string | null | undefined, address: string): SecretIdEntry {
    const secretId = (given ?? "").trim();
    if (secretId === "") throw badRequest("missing secret_id");
    const entry = stored.secretIds.find(secretId);
    if (!entry) throw badRequest("invalid role or secret ID");
    stored.secretIds.consume(secretId);
    if (entry.cidrList.length > 0 && !addressAllowed(parseCidrs(entry.cidrList)!, address)) {
      throw badRequest(`source address "${address}" unauthorized through CIDR restrictions on the secret ID`);
    }
    return entry;
  }

  private setRoleId(name: string, stored: StoredRole, roleId: string): void {
    const owner = this.roleNameById.get(roleId);
    if (owner !== undefined && owner !== name) throw badRequest("role_id already in use");
    this.roleNameById.delete(stored.roleId);
    stored.roleId = roleId;
    this.roleNameById.set(roleId, name);
  }
}

/** The mount's route table: login, roles, role IDs and secret IDs (more specific role paths first). */
function appRoleRoutes(mount: AppRoleMount): Route[] {
  const destroySecretId = (request: RequestContext) => void mount.existingRole(request).secretIds.destroy(secretIdOf(request));
  const destroyAccessor = (request: RequestContext) => void mount.existingRole(request).secretIds.destroyByAccessor(accessorOf(request));
  return [
    { pattern: /^login$/, unauthenticated: true, write: (request) => mount.login(request) },
    { pattern: /^role\/?$/, list: () => mount.listRoles() },
    { pattern: rolePath(String.raw`\/role-id`), read: (request) => mount.readRoleId(request), write: (request) => mount.writeRoleId(request) },
    { pattern: rolePath(String.raw`\/secret-id\/lookup`), write: (request) => mount.lookupSecretId(request) },
    { pattern: rolePath(String.raw`\/secret-id\/destroy`), write: destroySecretId, delete: destroySecretId },
    { pattern: rolePath(String.raw`\/secret-id-accessor\/lookup`), write: (request) => mount.lookupAccessor(request) },
    { pattern: rolePath(String.raw`\/secret-id-accessor\/destroy`), write: destroyAccessor, delete: destroyAccessor },
    { pattern: rolePath(String.raw`\/custom-secret-id`), write: (request) => mount.issueSecretId(request, true) },
    {
      pattern: rolePath(String.raw`\/secret-id\/?`),
      write: (request) => mount.issueSecretId(request, false),
      list: (request) => ({ data: { keys: mount.existingRole(request).secretIds.accessors() } }),
    },
    {
      pattern: rolePath(),
      exists: (params) => mount.hasRole(params.name!),
      read: (request) => mount.readRole(request),
      write: (request) => mount.writeRole(request),
      delete: (request) => mount.deleteRole(request),
    },
  ];
}

export function createAppRoleAuth(options: AppRoleAuthOptions): Backend {
  return { type: "approle", routes: appRoleRoutes(new AppRoleMount(options)) };
}
