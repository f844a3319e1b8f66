// Assembles the Vault API subset: stores, mount table (with secret/ pre-mounted as KV v2, as
// `vault server -dev` does), the sys/, auth/token/ and identity/ areas, the audit log and the router.
// Expired tokens and leases are dropped on access and by a sweep every second that never keeps the
// process alive. Every store keeps its entries in the given state scope: memory, or a data
// directory, from which they come back after a restart (mounts first: each restored mount gets its
// engine, which restores its own entries from the mount's scope).
import { createJwtAuth } from "./auth/jwt/jwt-auth.ts";
import { createAppRoleAuth } from "./auth/approle/approle-auth.ts";
import { createDatabaseEngine } from "./secrets/database/database-engine.ts";
import { createPkiEngine } from "./secrets/pki/pki-engine.ts";
import { LeaseStore } from "./sys/leases.ts";
import { sysLeaseRoutes } from "./sys/lease-routes.ts";
import type { LocalIssuer } from "../jwt/keys.ts";
import { createKvV1 } from "./secrets/kv/kv-v1.ts";
import { createKvV2 } from "./secrets/kv/kv-v2.ts";
import { MountTable, newMountIds, type MountEntry } from "./sys/mounts.ts";
import { PolicyStore } from "./sys/policy-store.ts";
import { TokenStore } from "./token/token-store.ts";
import { AuditLog } from "./sys/audit-log.ts";
import { VaultRouter } from "./core/router.ts";
import { createTokenRoutes } from "./token/token-routes.ts";
import { sysMountRoutes, type EngineSpec } from "./sys/mount-routes.ts";
import { sysPolicyRoutes } from "./sys/policy-routes.ts";
import { sysAuditRoutes } from "./sys/audit-routes.ts";
import { createHealth } from "./sys/health.ts";
import { badRequest } from "./core/errors.ts";
import { IdentityStore } from "./identity/identity-store.ts";
import { identityGroupRoutes } from "./identity/groups.ts";
import { identityGroupAliasRoutes } from "./identity/group-aliases.ts";
import type { Backend } from "./core/backend.ts";
import { NamespaceStore, sysNamespaceRoutes } from "./sys/namespaces.ts";
import { createLoginMethod } from "./auth/login-methods.ts";
import { memoryScope, type StateScope } from "../persist/state-scope.ts";
import { createKubernetesAuth } from "./auth/kubernetes/kubernetes-auth.ts";
import { Clusters } from "../kubernetes/clusters.ts";

export interface VaultOptions {
  readonly now: () => number;
  readonly rootToken: string;
  readonly local: LocalIssuer;
  readonly auditLogPath?: string;
  /** Where the stores keep their entries; memory when absent. */
  readonly state?: StateScope;
  /** Resolves once what requests changed so far is saved; each request's answer waits for it. */
  readonly commit?: () => Promise<void>;
  /** The clusters Kubernetes auth mounts review tokens at; a private set when absent. */
  readonly clusters?: Clusters;
}

export interface Vault {
  readonly router: VaultRouter;
  readonly health: ReturnType<typeof createHealth>;
  readonly tokens: TokenStore;
  readonly leases: LeaseStore;
  close(): void;
}

const sweepIntervalMs = 1_000;

/** The stores every area shares, kept in one state scope. */
interface Stores {
  readonly state: StateScope;
  readonly policies: PolicyStore;
  readonly tokens: TokenStore;
  readonly leases: LeaseStore;
  readonly audit: AuditLog;
  readonly namespaces: NamespaceStore;
}

export function createVault(options: VaultOptions): Vault {
  const stores = createStores(options);
  const { state, tokens, leases, audit, namespaces } = stores;
  const createEngine = engineFactory(options, stores);
  const mounts = new MountTable(state, createEngine);
  if (!state.restored) mountDefaultKv(mounts, options.now, state);
  // A data directory from before namespaces were created explicitly: its namespaced mounts keep theirs.
  for (const mount of mounts.all()) if (!namespaces.exists(mount.namespace)) namespaces.add(mount.namespace);

  const identityStore = new IdentityStore(mounts, options.now, state);
  const router = new VaultRouter({
    mounts,
    tokens,
    policies: stores.policies,
    audit,
    namespaces,
    system: systemArea(stores, mounts, createEngine),
    tokenAuth: createTokenRoutes(tokens),
    identity: { type: "identity", routes: [...identityGroupRoutes(identityStore), ...identityGroupAliasRoutes(identityStore)] },
    commit: options.commit ?? (() => undefined),
  });
  const sweeper = setInterval(() => {
    tokens.sweep();
    leases.sweep();
  }, sweepIntervalMs);
  sweeper.unref();
  return {
    router,
    health: createHealth(options.now),
    tokens,
    leases,
    close: () => {
      clearInterval(sweeper);
      audit.close();
    },
  };
}

function createStores(options: VaultOptions): Stores {
  const state = options.state ?? memoryScope;
  const tokens = new TokenStore(options.now, state);
  const stores = {
    state,
    policies: new PolicyStore(state),
    tokens,
    leases: new LeaseStore(options.now, tokens, state),
    audit: new AuditLog(options.now, state),
    namespaces: new NamespaceStore(state),
  };
  tokens.addRoot(options.rootToken);
  if (options.auditLogPath) stores.audit.enableFile("file/", options.auditLogPath, "", true);
  return stores;
}

const mountState = (state: StateScope, uuid: string): StateScope => state.child(`mount:${uuid}`);

/** Makes the engine of a new or restored mount: the secrets engines and auth methods this backend has. */
function engineFactory(options: VaultOptions, { state, tokens, leases }: Stores): (spec: EngineSpec) => Backend {
  const { now } = options;
  const clusters = options.clusters ?? new Clusters(now);
  return (spec) => {
    const engineState = mountState(state, spec.uuid);
    if (spec.kind === "secret" && spec.type === "kv") {
      if (!["1", "2", undefined].includes(spec.options.version)) {
        throw badRequest(`invalid KV version "${spec.options.version}": use "1" or "2"`);
      }
      return spec.options.version === "2" ? createKvV2(now, engineState) : createKvV1(engineState);
    }
    if (spec.kind === "secret" && spec.type === "database") return createDatabaseEngine(leases, now, engineState);
    if (spec.kind === "secret" && spec.type === "pki") return createPkiEngine(now, engineState);
    if (spec.kind === "auth" && (spec.type === "jwt" || spec.type === "oidc")) {
      return createJwtAuth({ mountPath: spec.path, namespace: spec.namespace, local: options.local, tokens, now, state: engineState });
    }
    if (spec.kind === "auth" && spec.type === "approle") {
      return createAppRoleAuth({ mountPath: spec.path, namespace: spec.namespace, tokens, now, state: engineState });
    }
    const authMount = { mountPath: spec.path, namespace: spec.namespace, tokens, now, state: engineState };
    if (spec.kind === "auth" && spec.type === "kubernetes") return createKubernetesAuth({ ...authMount, clusters });
    const loginMethod = spec.kind === "auth" ? createLoginMethod(spec.type, authMount) : undefined;
    if (loginMethod) return loginMethod;
    if (spec.kind === "auth" && spec.type === "token") throw badRequest("token credential backend cannot be instantiated");
    throw badRequest(`plugin not found in the catalog: ${spec.type}`);
  };
}

/** secret/ pre-mounted as KV v2, as `vault server -dev` does (a restored state has its own table). */
function mountDefaultKv(mounts: MountTable, now: () => number, state: StateScope): void {
  const ids = newMountIds("secret", "kv");
  mounts.add({
    path: "secret/",
    namespace: "",
    kind: "secret",
    type: "kv",
    description: "key/value secret storage",
    options: { version: "2" },
    backend: createKvV2(now, mountState(state, ids.uuid)),
    ...ids,
  });
}

function systemArea(stores: Stores, mounts: MountTable, createEngine: (spec: EngineSpec) => Backend): Backend {
  const { policies, tokens, leases, audit, namespaces, state } = stores;
  /** A disabled mount's secrets and logins die with it, as in Vault, and so does what it stored. */
  const revokeIssuedBy = (entry: MountEntry): void => {
    const relative = entry.path.slice(entry.namespace.length);
    leases.revokePrefix(entry.namespace, relative);
    tokens.revokeByPathPrefix(entry.namespace, relative);
    mountState(state, entry.uuid).drop();
  };
  return {
    type: "system",
    routes: [
      ...sysMountRoutes({ mounts, policies, tokens, createEngine, onDisable: revokeIssuedBy }),
      ...sysPolicyRoutes(policies),
      ...sysAuditRoutes(audit),
      ...sysLeaseRoutes(leases, tokens),
      ...sysNamespaceRoutes(namespaces, mounts),
    ],
  };
}
