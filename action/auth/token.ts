// A token given as it is (Vault, OpenBao or Infisical): checked, never revoked, since Keybridge
// did not create it.
import type { SecretsBackend, Session } from "../backends/backend.ts";
import type { LoginContext } from "./context.ts";

export function logInWithToken(backend: SecretsBackend, context: LoginContext, token: string): Promise<Session> {
  context.mask(token);
  return backend.useToken(token);
}
