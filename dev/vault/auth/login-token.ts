// The token a successful login of the userpass, LDAP, Kubernetes and GitHub methods issues: the
// role's (or user's) token_* settings, the policies the login earned, and the metadata the method
// reports, as Vault's tokenutil fills them in.
import type { VaultResult } from "../core/envelope.ts";
import type { TokenStore } from "../token/token-store.ts";
import type { TokenSettings } from "../token/token-settings.ts";
import { entityId } from "./jwt/jwt-auth.ts";
import type { StateScope } from "../../persist/state-scope.ts";

/** What every auth method mount is built with. */
export interface AuthMountOptions {
  /** "auth/userpass/" (with the namespace prefix when there is one). */
  readonly mountPath: string;
  readonly namespace: string;
  readonly tokens: TokenStore;
  readonly now: () => number;
  readonly state?: StateScope;
}

export interface LoginGrant {
  readonly settings: TokenSettings;
  /** Policies beyond the settings' token_policies (LDAP groups, GitHub teams). */
  readonly extraPolicies?: readonly string[];
  readonly meta: Readonly<Record<string, string>>;
  readonly displayName: string;
  /** The entity alias name: one entity per alias. */
  readonly alias: string;
}

export function issueLoginToken(options: AuthMountOptions, grant: LoginGrant): VaultResult {
  const { settings } = grant;
  const { token, entry } = options.tokens.issue({
    policies: [...settings.tokenPolicies, ...(grant.extraPolicies ?? [])],
    noDefaultPolicy: settings.tokenNoDefaultPolicy,
    meta: grant.meta,
    displayName: grant.displayName,
    path: `${options.mountPath.slice(options.namespace.length)}login`,
    entityId: entityId(options.mountPath, grant.alias),
    namespace: options.namespace,
    ttl: settings.tokenTtl,
    maxTtl: settings.tokenMaxTtl,
    explicitMaxTtl: settings.tokenExplicitMaxTtl,
    numUses: settings.tokenNumUses,
    boundCidrs: settings.tokenBoundCidrs,
  });
  return { auth: options.tokens.authBlock(token, entry) };
}
