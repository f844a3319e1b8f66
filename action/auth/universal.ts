// Infisical's universal auth: a machine identity's client id and client secret.
import type { InfisicalBackend } from "../backends/infisical.ts";
import type { Session } from "../backends/backend.ts";
import type { LoginContext } from "./context.ts";

export function logInWithUniversalAuth(backend: InfisicalBackend, context: LoginContext, clientId: string, clientSecret: string): Promise<Session> {
  context.mask(clientSecret);
  return backend.loginWithUniversalAuth(clientId, clientSecret);
}
