// Revoking a token: one request per backend and nothing else of the backends, so the Action's post
// step, whose whole work this is, loads little. The backends' revoke() is these functions too.
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import type { HttpClient } from "../http/http-client.ts";
import { infisicalApiUrl, infisicalMessage, vaultApiUrl, vaultErrors, vaultHeaders } from "./answers.ts";
import type { RevokeOutcome } from "./backend.ts";
import type { BackendTarget } from "./create-backend.ts";

export interface VaultAddress {
  /** "Vault" or "OpenBao", as errors name it. */
  readonly name: string;
  readonly url: URL;
  readonly namespace: string | undefined;
  /** The user's extra headers (vault-action's extraHeaders). */
  readonly extraHeaders?: Readonly<Record<string, string>> | undefined;
}

export async function revokeVaultToken(http: HttpClient, vault: VaultAddress, token: string): Promise<RevokeOutcome> {
  const response = await http.request({
    method: "POST",
    url: vaultApiUrl(vault.url, "auth/token/revoke-self"),
    headers: vaultHeaders(vault.namespace, token, vault.extraHeaders),
    purpose: `revoking the ${vault.name} token`,
  });
  if (response.status === 204 || response.status === 200) return "revoked";
  // An expired or already revoked token is refused: there is nothing left to revoke.
  if (response.status === 403) return "already-invalid";
  throw new KeybridgeError("KB_HTTP_FAILED", `revoking the ${vault.name} token: HTTP ${response.status}: ${vaultErrors(response)}`);
}

export async function revokeInfisicalToken(http: HttpClient, url: URL, token: string, extraHeaders?: Readonly<Record<string, string>>): Promise<RevokeOutcome> {
  const response = await http.request({
    method: "POST",
    url: infisicalApiUrl(url, "/api/v1/auth/token/revoke"),
    headers: { ...extraHeaders },
    body: { accessToken: token },
    purpose: "revoking the Infisical access token",
  });
  if (response.status === 200) return "revoked";
  if (response.status === 401) return "already-invalid";
  throw new KeybridgeError("KB_HTTP_FAILED", `revoking the Infisical access token: HTTP ${response.status}: ${infisicalMessage(response)}`);
}

/**
 * What `createBackend(http, target).revoke(token)` does, without loading the backends: the post
 * step revokes through this, and the backends' revoke() are the two functions above.
 */
export function revokeToken(http: HttpClient, target: Pick<BackendTarget, "backend" | "url" | "namespace" | "extraHeaders">, token: string): Promise<RevokeOutcome> {
  const { extraHeaders } = target;
  if (target.backend === "infisical") return revokeInfisicalToken(http, target.url, token, extraHeaders);
  return revokeVaultToken(http, { name: target.backend === "openbao" ? "OpenBao" : "Vault", url: target.url, namespace: target.namespace, extraHeaders }, token);
}
