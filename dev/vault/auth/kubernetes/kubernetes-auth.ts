// Vault's Kubernetes auth method at one mount: config, roles bound to service-account names and
// namespaces, and login with {role, jwt} in the order of the plugin's path_login.go: the role,
// the config, local checks of the unverified JWT (aud against the role's audience, exp, nbf),
// the bound names and namespaces, then a TokenReview at the cluster of config.kubernetes_host,
// which keybridge dev plays itself (dev/kubernetes/): a token of another cluster, a forged one or
// an expired one fails there. `service-account-token` (root only) mints a token in this mount's
// cluster, as TokenRequest would.
import * as z from "zod";
import { decodeJwt } from "jose";
import type { Backend, RequestContext, Route } from "../../core/backend.ts";
import { badRequest, permissionDenied, VaultError } from "../../core/errors.ts";
import { parseFields, vaultDuration, vaultStringList } from "../../core/fields.ts";
import { applyTokenFields, noTokenSettings, tokenFields, tokenSettingsData, type TokenSettings } from "../../token/token-settings.ts";
import { issueLoginToken, type AuthMountOptions } from "../login-token.ts";
import { memoryScope, plainCodec } from "../../../persist/state-scope.ts";
import type { Clusters } from "../../../kubernetes/clusters.ts";
import { ClusterHostError, clusterKey } from "../../../kubernetes/cluster-host.ts";
import { serviceAccountOf, vaultGlobMatch, type ServiceAccountClaims } from "./service-account-claims.ts";

interface KubernetesRole {
  readonly names: readonly string[];
  readonly namespaces: readonly string[];
  readonly audience: string;
  readonly aliasNameSource: "serviceaccount_uid" | "serviceaccount_name";
  readonly settings: TokenSettings;
}

export interface KubernetesAuthOptions extends AuthMountOptions {
  readonly clusters: Clusters;
}

const roleFields = z.object({
  bound_service_account_names: vaultStringList.nullish(),
  bound_service_account_namespaces: vaultStringList.nullish(),
  audience: z.string().nullish(),
  alias_name_source: z.string().nullish(),
  ...tokenFields,
  policies: vaultStringList.nullish(),
  ttl: vaultDuration.nullish(),
  max_ttl: vaultDuration.nullish(),
});
const mintFields = z.object({ namespace: z.string(), service_account_name: z.string(), audience: z.string().nullish(), ttl: vaultDuration.nullish() });
const loginFields = z.object({ role: z.string().nullish(), jwt: z.string().nullish() });

function aliasNameSource(value: string | null | undefined, existing: KubernetesRole | undefined): KubernetesRole["aliasNameSource"] {
  if (value === undefined || value === null || value === "") return existing?.aliasNameSource ?? "serviceaccount_uid";
  if (value === "serviceaccount_uid" || value === "serviceaccount_name") return value;
  throw badRequest(`invalid alias_name_source "${value}": use serviceaccount_uid or serviceaccount_name`);
}

export function createKubernetesAuth(options: KubernetesAuthOptions): Backend {
  const state = options.state ?? memoryScope;
  const roles = state.map<KubernetesRole>("roles", plainCodec());
  const settings = state.map<Record<string, unknown>>("config", plainCodec());
  const roleName = (request: RequestContext) => request.params.name!.toLowerCase();
  const configuredHost = (): string | undefined => {
    const host = settings.get("config")?.kubernetes_host;
    return typeof host === "string" ? host : undefined;
  };
  // A restored mount's cluster counts as configured again.
  const restored = configuredHost();
  if (restored) options.clusters.noteConfigured(restored);

  function writeRole(request: RequestContext): undefined {
    const fields = parseFields(roleFields, request.data, request.warn);
    const existing = roles.get(roleName(request));
    const names = fields.bound_service_account_names ?? existing?.names ?? [];
    const namespaces = fields.bound_service_account_namespaces ?? existing?.namespaces ?? [];
    if (names.length === 0) throw badRequest(`"bound_service_account_names" can not be empty`);
    if (namespaces.length === 0) throw badRequest(`"bound_service_account_namespaces" can not be empty if "bound_service_account_namespace_selector" is not set`);
    if ((names.includes("*") && names.length > 1) || (namespaces.includes("*") && namespaces.length > 1)) throw badRequest(`can not mix "*" with values`);
    const tokenSettings = applyTokenFields(fields, { token_policies: "policies", token_ttl: "ttl", token_max_ttl: "max_ttl" }, existing?.settings ?? noTokenSettings);
    roles.set(roleName(request), {
      names, namespaces, audience: fields.audience ?? existing?.audience ?? "",
      aliasNameSource: aliasNameSource(fields.alias_name_source, existing), settings: tokenSettings,
    });
    return undefined;
  }

  function writeConfig(request: RequestContext): undefined {
    const host = request.data.kubernetes_host;
    if (typeof host !== "string" || host === "") throw badRequest("no host provided");
    try {
      clusterKey(host);
    } catch (error) {
      if (error instanceof ClusterHostError) throw badRequest(error.message);
      throw error;
    }
    settings.set("config", { ...request.data });
    options.clusters.noteConfigured(host);
    return undefined;
  }

  /** keybridge dev's stand-in for TokenRequest in this mount's cluster. */
  async function mintServiceAccountToken(request: RequestContext) {
    const fields = parseFields(mintFields, request.data, request.warn);
    const host = configuredHost();
    if (!host) throw badRequest(`no cluster to mint in: write ${options.mountPath}config with kubernetes_host first`);
    const issuer = await options.clusters.issuer(host);
    const minted = await issuer.mint({
      namespace: fields.namespace,
      serviceAccount: fields.service_account_name,
      audiences: fields.audience ? [fields.audience] : [],
      // Any ttl, short ones included, so that expiry can be tried without waiting ten minutes.
      ...(fields.ttl ? { expirationSeconds: fields.ttl } : {}),
    });
    return { data: { token: minted.token, expiration_timestamp: minted.expirationTimestamp } };
  }

  /** The JWT checks Vault makes itself, before asking the cluster; all fail with 403 (the reason is in Vault's debug log only). */
  function locallyChecked(jwt: string, role: KubernetesRole): { account: ServiceAccountClaims; audiences: readonly string[] } {
    let claims: Record<string, unknown>;
    try {
      claims = decodeJwt(jwt);
    } catch {
      throw permissionDenied();
    }
    const audiences = typeof claims.aud === "string" ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud.filter((value): value is string => typeof value === "string") : [];
    if (role.audience && !audiences.includes(role.audience)) throw permissionDenied();
    const nowSeconds = Math.floor(options.now() / 1000);
    if (typeof claims.exp === "number" && claims.exp < nowSeconds) throw permissionDenied();
    if (typeof claims.nbf === "number" && claims.nbf > nowSeconds) throw permissionDenied();
    const account = serviceAccountOf(claims);
    if (!account) throw permissionDenied();
    return { account, audiences };
  }

  /** The TokenReview: authenticated, and the same service account the JWT claims. */
  async function reviewed(host: string, jwt: string, role: KubernetesRole, local: { account: ServiceAccountClaims; audiences: readonly string[] }): Promise<void> {
    const issuer = await options.clusters.issuer(host);
    const review = await issuer.review(jwt, role.audience ? [role.audience] : local.audiences);
    // Vault gives the reason only in its debug log.
    if (!review.authenticated) throw permissionDenied();
    const { account } = local;
    if (review.user.username !== `system:serviceaccount:${account.namespace}:${account.name}` || (account.uid !== "" && review.user.uid !== account.uid)) throw permissionDenied();
  }

  async function login(request: RequestContext) {
    const fields = parseFields(loginFields, request.data, request.warn);
    if (!fields.role) throw badRequest("missing role");
    if (!fields.jwt) throw badRequest("missing jwt");
    const role = roles.get(fields.role.toLowerCase());
    if (!role) throw badRequest(`invalid role name "${fields.role}"`);
    const host = configuredHost();
    if (!host) throw new VaultError(500, ["could not load backend configuration"]);
    const local = locallyChecked(fields.jwt, role);
    const { account } = local;
    if (!vaultGlobMatch(role.names, account.name)) throw new VaultError(403, ["service account name not authorized"]);
    if (!vaultGlobMatch(role.namespaces, account.namespace)) throw new VaultError(403, ["namespace not authorized"]);
    await reviewed(host, fields.jwt, role, local);
    return issueLoginToken(options, {
      settings: role.settings,
      meta: { role: fields.role.toLowerCase(), service_account_name: account.name, service_account_namespace: account.namespace, service_account_uid: account.uid, service_account_secret_name: account.secretName },
      displayName: `${account.namespace}-${account.name}`,
      alias: role.aliasNameSource === "serviceaccount_name" ? `${account.namespace}/${account.name}` : account.uid,
    });
  }

  const routes: Route[] = [
    { pattern: /^login$/, unauthenticated: true, write: login },
    { pattern: /^service-account-token$/, sudo: true, write: mintServiceAccountToken },
    {
      pattern: /^config$/,
      read: () => {
        const config = settings.get("config");
        return config ? { data: { ...config, token_reviewer_jwt: undefined, token_reviewer_jwt_set: config.token_reviewer_jwt !== undefined } } : undefined;
      },
      write: writeConfig,
    },
    { pattern: /^role\/?$/, list: () => ({ data: { keys: [...roles.keys()].sort() } }) },
    {
      pattern: /^role\/(?<name>\w(?:[\w.-]*\w)?)$/,
      exists: (params) => roles.has(params.name!.toLowerCase()),
      read: (request) => {
        const role = roles.get(roleName(request));
        return role
          ? { data: { bound_service_account_names: role.names, bound_service_account_namespaces: role.namespaces, audience: role.audience, alias_name_source: role.aliasNameSource, ...tokenSettingsData(role.settings) } }
          : undefined;
      },
      write: writeRole,
      delete: (request) => void roles.delete(roleName(request)),
    },
  ];
  return { type: "kubernetes", routes };
}
