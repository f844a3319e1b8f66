// Infisical's universal auth: a machine identity's client id and client secret (given, in a file,
// or in INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET as Infisical's Terraform provider reads it).
import type { SecretsBackend, Session } from "../backends/backend.ts";
import type { LoginContext } from "./auth-method.ts";
import { credential, type CredentialSource } from "./credential.ts";
import { infisicalOnly } from "./backend-only.ts";

export interface UniversalAuthSettings {
  readonly clientId: string;
  readonly clientSecret?: CredentialSource | undefined;
}

export async function login(backend: SecretsBackend, settings: UniversalAuthSettings, context: LoginContext): Promise<Session> {
  const infisical = infisicalOnly(backend, "Universal auth");
  const clientSecret = credential("universal auth client secret", settings.clientSecret ?? {}, context.env, "INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET");
  context.onCredential?.(clientSecret);
  return infisical.loginWithUniversalAuth(settings.clientId, clientSecret);
}
