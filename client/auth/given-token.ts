// A token the user already has and hands over as it is (the Action's token input): checked by the
// backend, masked, never revoked by Keybridge, which did not create it.
import type { SecretsBackend, Session } from "../backends/backend.ts";
import type { LoginContext } from "./auth-method.ts";

export interface GivenTokenSettings {
  readonly token: string;
}

export async function login(backend: SecretsBackend, settings: GivenTokenSettings, context: LoginContext): Promise<Session> {
  context.onCredential?.(settings.token);
  return backend.useToken(settings.token);
}
