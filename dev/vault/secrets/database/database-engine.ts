// The database secrets engine (type "database") with credentials fabricated in memory: config/,
// roles/, creds/ (a username v-<role>-<random>, a random password, under a lease that belongs to
// the reading token), static-roles/, static-creds/ and rotate-role/ (database-static-roles.ts),
// reset/ and rotate-root/. No database is contacted, so what a real plugin
// would fail at (a bad connection) cannot fail here; Vault's own checks and messages remain.
import type { Backend, RequestContext, Route } from "../../core/backend.ts";
import type { VaultResult } from "../../core/envelope.ts";
import { badRequest, VaultError } from "../../core/errors.ts";
import { entryName, namedEntryRoutes } from "../../core/named-entries.ts";
import { connectionData, hasLiteralPassword, roleAllowed, writeConnection, type DatabaseConnection } from "./database-connections.ts";
import { databaseRoleData, writeDatabaseRole, type DatabaseRole } from "./database-roles.ts";
import { rotateIfDue, rotateStaticRole, staticCredentialsData, staticRoleData, writeStaticRole, type StaticRole } from "./database-static-roles.ts";
import type { LeaseStore } from "../../sys/leases.ts";
import { randomBase62 } from "../../token/token-store.ts";
import { memoryScope, plainCodec, type StateScope } from "../../../persist/state-scope.ts";

/** Errors Vault's engine returns as Go errors: a 500 with the message. */
const internal = (message: string): VaultError => new VaultError(500, [message]);

/** One database mount's connections and roles, and a named handler per operation. */
class DatabaseEngine {
  /** Connection details (a root password among them) are saved as they are: the data file is encrypted. */
  readonly connections: Map<string, DatabaseConnection>;
  readonly roles: Map<string, DatabaseRole>;
  readonly staticRoles: Map<string, StaticRole>;

  constructor(
    private readonly leases: LeaseStore,
    private readonly now: () => number,
    state: StateScope,
  ) {
    this.connections = state.map("connections", plainCodec<DatabaseConnection>());
    this.roles = state.map("roles", plainCodec<DatabaseRole>());
    this.staticRoles = state.map("static-roles", plainCodec<StaticRole>());
  }

  connectionFor(dbName: string): DatabaseConnection {
    const connection = this.connections.get(dbName);
    if (!connection) throw internal(`failed to find entry for connection with name: "${dbName}"`);
    return connection;
  }

  readConfig(request: RequestContext): VaultResult | undefined {
    const connection = this.connections.get(request.params.name!);
    return connection ? { data: connectionData(connection) } : undefined;
  }

  writeConfig(request: RequestContext): VaultResult | undefined {
    const connection = writeConnection(this.connections.get(request.params.name!), request.data);
    this.connections.set(request.params.name!, connection);
    if (!hasLiteralPassword(connection.details.connection_url)) return undefined;
    return { warnings: ["Password found in connection_url, use a templated url to enable root rotation and prevent read access to password information."] };
  }

  readRole(request: RequestContext): VaultResult | undefined {
    const role = this.roles.get(request.params.name!);
    return role ? { data: databaseRoleData(role) } : undefined;
  }

  writeRole(request: RequestContext): undefined {
    this.roles.set(request.params.name!, writeDatabaseRole(this.roles.get(request.params.name!), request.data, request.warn));
    return undefined;
  }

  /** What a real engine gets from its plugin's NewUser: a fresh user under a lease of the role's TTLs. */
  createCredentials(request: RequestContext): VaultResult {
    const roleName = request.params.name!;
    const role = this.roles.get(roleName);
    if (!role) throw badRequest(`unknown role: ${roleName}`);
    const connection = this.connectionFor(role.dbName);
    if (!roleAllowed(connection, roleName)) throw internal(`"${roleName}" is not an allowed role`);
    if (role.creationStatements.length === 0) throw internal("empty creation statements");
    const lease = this.leases.issue({
      path: request.path.slice(request.namespace.length),
      namespace: request.namespace,
      owner: request.token,
      ttl: role.defaultTtl,
      maxTtl: role.maxTtl,
      renewable: true,
    });
    return {
      leaseId: lease.id,
      renewable: lease.renewable,
      leaseDuration: lease.ttl,
      // Vault's default password generator: 20 random characters behind "A1a-" (for complexity rules).
      data: { username: `v-${roleName}-${randomBase62(20)}`, password: `A1a-${randomBase62(20)}` },
    };
  }

  writeStaticRole(request: RequestContext): undefined {
    const roleName = request.params.name!;
    const role = writeStaticRole(this.staticRoles.get(roleName), request.data, this.now(), request.warn);
    if (!roleAllowed(this.connectionFor(role.dbName), roleName)) throw badRequest(`"${roleName}" is not an allowed role`);
    this.staticRoles.set(roleName, role);
    return undefined;
  }

  /** The role, first rotated if a period passed since its last rotation (set again so the change is saved). */
  private currentStaticRole(roleName: string): StaticRole | undefined {
    const role = this.staticRoles.get(roleName);
    if (role && rotateIfDue(role, this.now())) this.staticRoles.set(roleName, role);
    return role;
  }

  readStaticRole(request: RequestContext): VaultResult | undefined {
    const role = this.currentStaticRole(request.params.name!);
    return role ? { data: staticRoleData(role, this.now()) } : undefined;
  }

  readStaticCredentials(request: RequestContext): VaultResult {
    const role = this.currentStaticRole(request.params.name!);
    if (!role) throw badRequest("unknown role");
    return { data: staticCredentialsData(role, this.now()) };
  }

  rotateRole(request: RequestContext): undefined {
    const roleName = request.params.name!;
    const role = this.staticRoles.get(roleName);
    if (!role) throw badRequest("no static role found for role name");
    rotateStaticRole(role, this.now());
    this.staticRoles.set(roleName, role);
    return undefined;
  }

  /** Vault sets a new root password only it knows: the old one stops being stored. */
  rotateRoot(request: RequestContext): undefined {
    const connection = this.connectionFor(request.params.name!);
    this.connections.set(request.params.name!, { ...connection, details: { ...connection.details, password: randomBase62(20) } });
    return undefined;
  }
}

function databaseRoutes(engine: DatabaseEngine): Route[] {
  return [
    ...namedEntryRoutes("config", engine.connections, { read: (request) => engine.readConfig(request), write: (request) => engine.writeConfig(request) }),
    ...namedEntryRoutes("roles", engine.roles, { read: (request) => engine.readRole(request), write: (request) => engine.writeRole(request) }),
    { pattern: new RegExp(String.raw`^creds\/${entryName}$`), read: (request) => engine.createCredentials(request) },
    ...namedEntryRoutes("static-roles", engine.staticRoles, { read: (request) => engine.readStaticRole(request), write: (request) => engine.writeStaticRole(request) }),
    { pattern: new RegExp(String.raw`^static-creds\/${entryName}$`), read: (request) => engine.readStaticCredentials(request) },
    { pattern: new RegExp(String.raw`^rotate-role\/${entryName}$`), write: (request) => engine.rotateRole(request) },
    { pattern: new RegExp(String.raw`^reset\/${entryName}$`), write: (request) => void engine.connectionFor(request.params.name!) },
    { pattern: new RegExp(String.raw`^rotate-root\/${entryName}$`), write: (request) => engine.rotateRoot(request) },
  ];
}

export function createDatabaseEngine(leases: LeaseStore, now: () => number, state: StateScope = memoryScope): Backend {
  return { type: "database", routes: databaseRoutes(new DatabaseEngine(leases, now, state)) };
}
