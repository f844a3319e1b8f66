// The `keybridge/client` entry: what the Action and the CLI share to get secrets from a backend
// (the secrets spec, the OIDC token request, the HTTP client, the Vault and Infisical clients,
// reading and selecting secrets, the errors they raise).
export { parseSecretsSpec, type SecretRequest, type Selector } from "./secrets-spec.ts";
export { oidcRequestFromEnv, requestIdToken, type OidcRequest } from "./oidc.ts";
export { HttpClient, type HttpClientOptions, type HttpRequest, type HttpResponse } from "./http/http-client.ts";
export { VaultBackend } from "./backends/vault.ts";
export { InfisicalBackend } from "./backends/infisical.ts";
export { createBackend, type BackendKind, type BackendTarget } from "./backends/create-backend.ts";
export { authMethods, logIn, type AuthMethodName, type AuthSettings } from "./auth/methods.ts";
export type { SecretsBackend, Session, Lease, SecretRead, Renewal, RevokeOutcome } from "./backends/backend.ts";
export { readSecrets, type ReadOptions, type ReadOutcome } from "./read-secrets.ts";
export { selectSecrets, type SelectedSecret } from "./select-secrets.ts";
export { KeybridgeError, describeError, type ErrorCode } from "../policy/errors/keybridge-error.ts";
