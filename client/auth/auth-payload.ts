// Any other Vault auth method (cert, radius, …): a login body posted as it is to
// auth/<path or method>/login (vault-action's authPayload).
import type { SecretsBackend, Session } from "../backends/backend.ts";
import type { LoginContext, LoginTarget } from "./auth-method.ts";
import { vaultOnly } from "./backend-only.ts";

export interface AuthPayloadSettings {
  /** The auth method's name, the mount unless path is given. */
  readonly name: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly path?: string | undefined;
}

export function target(settings: AuthPayloadSettings): LoginTarget {
  return { authPath: settings.path ?? settings.name };
}

export async function login(backend: SecretsBackend, settings: AuthPayloadSettings, _context: LoginContext): Promise<Session> {
  return vaultOnly(backend, settings.name).login({
    what: settings.name, mount: settings.path ?? settings.name, body: settings.payload,
    advice: `check the login body against what the ${settings.name} method expects`,
  });
}
