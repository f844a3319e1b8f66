// An Infisical access token the user already has, in INFISICAL_TOKEN (or the variable configured).
// Keybridge never revokes a token it did not create.
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import type { SecretsBackend, Session } from "../backends/backend.ts";
import type { LoginContext } from "./auth-method.ts";
import { login as loginWithGivenToken } from "./given-token.ts";

export interface InfisicalTokenSettings {
  /** The environment variable holding the token, INFISICAL_TOKEN unless configured otherwise. */
  readonly tokenEnv?: string | undefined;
}

export async function login(backend: SecretsBackend, settings: InfisicalTokenSettings, context: LoginContext): Promise<Session> {
  const token = context.env[settings.tokenEnv ?? "INFISICAL_TOKEN"];
  if (!token) throw new KeybridgeError("KB_INPUT_INVALID", "no Infisical token: set INFISICAL_TOKEN");
  return loginWithGivenToken(backend, { token }, context);
}
