// Picks the backend implementation for a step: from the inputs in main, from the saved state in post.
import type { HttpClient } from "../http/http-client.ts";
import type { FetchInputs } from "../inputs.ts";
import type { SecretsBackend } from "./backend.ts";
import { InfisicalBackend } from "./infisical.ts";
import { VaultBackend } from "./vault.ts";

export function backendFromInputs(http: HttpClient, inputs: FetchInputs): SecretsBackend {
  if (inputs.infisical) return new InfisicalBackend(http, { url: inputs.url, ...inputs.infisical });
  const name = inputs.backend === "openbao" ? "OpenBao" : "Vault";
  return new VaultBackend(http, { name, url: inputs.url, namespace: inputs.namespace, authPath: inputs.authPath, role: inputs.role });
}

/** Enough of a backend to revoke a token: its kind, address and namespace. */
export function backendForRevoke(http: HttpClient, backend: string, url: URL, namespace: string | undefined): SecretsBackend {
  if (backend === "infisical") {
    return new InfisicalBackend(http, { url, identityId: undefined, project: "", environment: "", recursive: false, includeImports: false, expandReferences: false });
  }
  return new VaultBackend(http, { name: backend === "openbao" ? "OpenBao" : "Vault", url, namespace, authPath: "jwt", role: undefined });
}
