// How `keybridge run`/`env` reach their backend: the settings become a backend target (the auth
// method adds its mount, role or identity) for the client's one factory, and the login goes
// through the client's auth methods.
import type { SecretsBackend, Session } from "../../client/backends/backend.ts";
import { createBackend as createClientBackend } from "../../client/backends/create-backend.ts";
import type { HttpClient } from "../../client/http/http-client.ts";
import type { Env } from "../../client/auth/auth-method.ts";
import { logIn, loginTarget } from "../../client/auth/methods.ts";
import type { RunSettings } from "./run-settings.ts";

export function createBackend(http: HttpClient, settings: RunSettings): SecretsBackend {
  const { identityId, ...vaultLogin } = loginTarget(settings.auth);
  const infisical = settings.infisical && { identityId, ...settings.infisical, recursive: false, includeImports: true, expandReferences: true };
  return createClientBackend(http, { backend: settings.backend, url: settings.url, namespace: settings.namespace, ...vaultLogin, infisical });
}

export function authenticate(backend: SecretsBackend, http: HttpClient, settings: RunSettings, env: Env = process.env): Promise<Session> {
  return logIn(backend, settings.auth, { http, env });
}
