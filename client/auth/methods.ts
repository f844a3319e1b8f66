// Every auth method by the name users give it (`--auth NAME`, `auth.method` in keybridge.yml).
// Adding a method: a file beside this one implementing AuthMethod, and its line here.
import type { SecretsBackend, Session } from "../backends/backend.ts";
import type { AuthMethod, LoginContext, LoginTarget } from "./auth-method.ts";
import { approle } from "./approle.ts";
import { githubOidc } from "./github-oidc.ts";
import { infisicalOidcFile } from "./infisical-oidc-file.ts";
import { infisicalToken } from "./infisical-token.ts";
import { jwtFile } from "./jwt-file.ts";
import { vaultToken } from "./vault-token.ts";

export const authMethods = {
  token: vaultToken,
  "jwt-file": jwtFile,
  "github-oidc": githubOidc,
  approle,
  "infisical-token": infisicalToken,
  "infisical-oidc-file": infisicalOidcFile,
} as const;

export type AuthMethodName = keyof typeof authMethods;
type SettingsOf<Method> = Method extends AuthMethod<infer Settings> ? Settings : never;

/** One method's name with its settings, as keybridge.yml and the flags give them. */
export type AuthSettings = { [Name in AuthMethodName]: { readonly method: Name } & SettingsOf<(typeof authMethods)[Name]> }[AuthMethodName];

function methodOf(auth: AuthSettings): AuthMethod<AuthSettings> {
  return authMethods[auth.method] as AuthMethod<never> as AuthMethod<AuthSettings>;
}

/** The auth mount, role or identity the method puts into the backend target. */
export function loginTarget(auth: AuthSettings): LoginTarget {
  return methodOf(auth).target?.(auth) ?? {};
}

export function logIn(backend: SecretsBackend, auth: AuthSettings, context: LoginContext): Promise<Session> {
  return methodOf(auth).login(backend, auth, context);
}
