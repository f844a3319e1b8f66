// Every auth method by the name users give it (`--auth NAME`, `auth.method` in keybridge.yml).
// Adding a method: a file beside this one exporting `login` (and `target` if it has a mount, role
// or identity), and its line here.
import type { SecretsBackend, Session } from "../backends/backend.ts";
import type { AuthMethod, LoginContext, LoginTarget } from "./auth-method.ts";
import * as approle from "./approle.ts";
import * as githubOidc from "./github-oidc.ts";
import * as infisicalOidcFile from "./infisical-oidc-file.ts";
import * as infisicalToken from "./infisical-token.ts";
import * as jwtFile from "./jwt-file.ts";
import * as vaultToken from "./vault-token.ts";
import * as givenToken from "./given-token.ts";
import * as signedJwt from "./signed-jwt.ts";
import * as kubernetes from "./kubernetes.ts";
import * as userpass from "./userpass.ts";
import * as ldap from "./ldap.ts";
import * as vaultGitHub from "./vault-github.ts";
import * as authPayload from "./auth-payload.ts";
import * as universalAuth from "./universal-auth.ts";
import * as infisicalAwsIam from "./infisical-aws-iam.ts";

export const authMethods = {
  token: vaultToken,
  "jwt-file": jwtFile,
  "github-oidc": githubOidc,
  approle,
  "infisical-token": infisicalToken,
  "infisical-oidc-file": infisicalOidcFile,
  "given-token": givenToken,
  "signed-jwt": signedJwt,
  kubernetes,
  userpass,
  ldap,
  github: vaultGitHub,
  "auth-payload": authPayload,
  "infisical-universal": universalAuth,
  "infisical-aws-iam": infisicalAwsIam,
} as const;

export type AuthMethodName = keyof typeof authMethods;
type SettingsOf<Method> = Method extends { login: (backend: SecretsBackend, settings: infer Settings, context: LoginContext) => Promise<Session> } ? Settings : never;

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
