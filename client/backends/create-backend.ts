// The one place a backend implementation is chosen: the Action's main (from its inputs) and post
// (from the saved state), and `keybridge run`/`env` (from their settings) all describe the backend
// they want as a BackendTarget and get it here.
import type { HttpClient } from "../http/http-client.ts";
import type { SecretsBackend } from "./backend.ts";
import { InfisicalBackend, type InfisicalScope } from "./infisical.ts";
import { VaultBackend } from "./vault.ts";

export type BackendKind = "vault" | "openbao" | "infisical";

export interface BackendTarget {
  readonly backend: BackendKind;
  readonly url: URL;
  /** Vault Enterprise / OpenBao namespace. */
  readonly namespace?: string | undefined;
  /** The Vault auth mount logins go to; `jwt` when not given. */
  readonly authPath?: string | undefined;
  /** The Vault role a JWT login asks for. */
  readonly role?: string | undefined;
  /** Where Infisical reads go; a post step that only revokes needs none. */
  readonly infisical?: InfisicalScope | undefined;
  /** Sent with every request to the backend (vault-action's extraHeaders, Infisical's extra-headers). */
  readonly extraHeaders?: Readonly<Record<string, string>> | undefined;
}

/** A scope that reads nothing: enough for revoking an Infisical token. */
const revokeOnlyScope: InfisicalScope = { identityId: undefined, project: "", environment: "", recursive: false, includeImports: false, expandReferences: false };

export function createBackend(http: HttpClient, target: BackendTarget): SecretsBackend {
  const { extraHeaders } = target;
  if (target.backend === "infisical") return new InfisicalBackend(http, { url: target.url, ...(target.infisical ?? revokeOnlyScope), extraHeaders });
  return new VaultBackend(http, {
    name: target.backend === "openbao" ? "OpenBao" : "Vault",
    url: target.url,
    namespace: target.namespace,
    authPath: target.authPath ?? "jwt",
    role: target.role,
    extraHeaders,
  });
}
