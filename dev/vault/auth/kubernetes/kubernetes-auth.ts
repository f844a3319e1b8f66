// Vault's Kubernetes auth method at one mount: config, roles bound to service-account names and
// namespaces, and login with {role, jwt}. keybridge dev is its own cluster: instead of a
// TokenReview against kubernetes_host, it checks tokens it minted itself, at
// service-account-token (root only), signed with this mount's key. So a pod's login can be tried
// end to end: mint a token, write it to a file, log in as Vault's method would be asked to.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import * as z from "zod";
import { importPKCS8, importSPKI, jwtVerify, SignJWT } from "jose";
import type { Backend, RequestContext, Route } from "../../core/backend.ts";
import { badRequest, permissionDenied, VaultError } from "../../core/errors.ts";
import { parseFields, vaultDuration, vaultStringList } from "../../core/fields.ts";
import { applyTokenFields, noTokenSettings, tokenFields, tokenSettingsData, type TokenSettings } from "../../token/token-settings.ts";
import { issueLoginToken, type AuthMountOptions } from "../login-token.ts";
import { memoryScope, plainCodec } from "../../../persist/state-scope.ts";

interface KubernetesRole {
  readonly names: readonly string[];
  readonly namespaces: readonly string[];
  readonly audience: string;
  readonly settings: TokenSettings;
}

interface ServiceAccountClaims {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

const issuer = "https://kubernetes.default.svc.cluster.local";
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
const tokenClaims = z.object({
  "kubernetes.io": z.object({ namespace: z.string(), serviceaccount: z.object({ name: z.string(), uid: z.string() }) }),
});

/** Vault's glob: `*` alone is any; otherwise `*` matches any run of characters. */
function bound(patterns: readonly string[], value: string): boolean {
  return patterns.some((pattern) => pattern === "*" || new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`).test(value));
}

export function createKubernetesAuth(options: AuthMountOptions): Backend {
  const state = options.state ?? memoryScope;
  const roles = state.map<KubernetesRole>("roles", plainCodec());
  const settings = state.map<Record<string, unknown>>("config", plainCodec());
  const keys = state.map<{ privateKey: string; publicKey: string }>("signing-key", plainCodec());
  if (!keys.has("key")) {
    const pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
    keys.set("key", { privateKey: pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(), publicKey: pair.publicKey.export({ type: "spki", format: "pem" }).toString() });
  }
  const roleName = (request: RequestContext) => request.params.name!.toLowerCase();

  function writeRole(request: RequestContext): undefined {
    const fields = parseFields(roleFields, request.data, request.warn);
    const existing = roles.get(roleName(request));
    const names = fields.bound_service_account_names ?? existing?.names ?? [];
    const namespaces = fields.bound_service_account_namespaces ?? existing?.namespaces ?? [];
    if (names.length === 0) throw badRequest(`"bound_service_account_names" can not be empty`);
    if (namespaces.length === 0) throw badRequest(`"bound_service_account_namespaces" can not be empty if "bound_service_account_namespace_selector" is not set`);
    if ((names.includes("*") && names.length > 1) || (namespaces.includes("*") && namespaces.length > 1)) throw badRequest(`can not mix "*" with values`);
    const tokenSettings = applyTokenFields(fields, { token_policies: "policies", token_ttl: "ttl", token_max_ttl: "max_ttl" }, existing?.settings ?? noTokenSettings);
    roles.set(roleName(request), { names, namespaces, audience: fields.audience ?? existing?.audience ?? "", settings: tokenSettings });
    return undefined;
  }

  /** keybridge dev's stand-in for the cluster's TokenRequest API. */
  async function mintServiceAccountToken(request: RequestContext) {
    const fields = parseFields(mintFields, request.data, request.warn);
    const ttl = fields.ttl ?? 3600;
    const now = Math.floor(options.now() / 1000);
    const uid = randomUUID();
    const jwt = await new SignJWT({ "kubernetes.io": { namespace: fields.namespace, serviceaccount: { name: fields.service_account_name, uid } } })
      .setProtectedHeader({ alg: "ES256", kid: "keybridge-dev" })
      .setIssuer(issuer)
      .setSubject(`system:serviceaccount:${fields.namespace}:${fields.service_account_name}`)
      .setAudience(fields.audience ?? issuer)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + ttl)
      .sign(await importPKCS8(keys.get("key")!.privateKey, "ES256"));
    return { data: { token: jwt, expiration_seconds: ttl } };
  }

  async function verifiedServiceAccount(jwt: string, audience: string): Promise<ServiceAccountClaims> {
    try {
      const { payload } = await jwtVerify(jwt, await importSPKI(keys.get("key")!.publicKey, "ES256"), {
        issuer,
        currentDate: new Date(options.now()),
        ...(audience ? { audience } : {}),
      });
      const claims = tokenClaims.parse(payload)["kubernetes.io"];
      return { namespace: claims.namespace, name: claims.serviceaccount.name, uid: claims.serviceaccount.uid };
    } catch {
      // Vault gives the reason only in its debug log.
      throw permissionDenied();
    }
  }

  async function login(request: RequestContext) {
    const fields = parseFields(loginFields, request.data, request.warn);
    if (!fields.role) throw badRequest("missing role");
    if (!fields.jwt) throw badRequest("missing jwt");
    const role = roles.get(fields.role.toLowerCase());
    if (!role) throw badRequest(`invalid role name "${fields.role}"`);
    if (!settings.has("config")) throw new VaultError(500, ["could not load backend configuration"]);
    const account = await verifiedServiceAccount(fields.jwt, role.audience);
    if (!bound(role.names, account.name)) throw new VaultError(403, ["service account name not authorized"]);
    if (!bound(role.namespaces, account.namespace)) throw new VaultError(403, ["namespace not authorized"]);
    return issueLoginToken(options, {
      settings: role.settings,
      meta: { role: fields.role.toLowerCase(), service_account_name: account.name, service_account_namespace: account.namespace, service_account_uid: account.uid, service_account_secret_name: "" },
      displayName: `${account.namespace}-${account.name}`,
      alias: account.uid,
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
      write: (request) => {
        if (!request.data.kubernetes_host) throw badRequest("no host provided");
        settings.set("config", { ...request.data });
        return undefined;
      },
    },
    { pattern: /^role\/?$/, list: () => ({ data: { keys: [...roles.keys()].sort() } }) },
    {
      pattern: /^role\/(?<name>\w(?:[\w.-]*\w)?)$/,
      exists: (params) => roles.has(params.name!.toLowerCase()),
      read: (request) => {
        const role = roles.get(roleName(request));
        return role
          ? { data: { bound_service_account_names: role.names, bound_service_account_namespaces: role.namespaces, audience: role.audience, alias_name_source: "serviceaccount_uid", ...tokenSettingsData(role.settings) } }
          : undefined;
      },
      write: writeRole,
      delete: (request) => void roles.delete(roleName(request)),
    },
  ];
  return { type: "kubernetes", routes };
}
