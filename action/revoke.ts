// Revokes the token main saved, with a short budget: the job is over and must not wait long.
import { HttpClient } from "../client/http/http-client.ts";
import { revokeToken } from "../client/backends/revocation.ts";
import type { BackendKind } from "../client/backends/create-backend.ts";
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";
import type { RevokeOutcome } from "../client/backends/backend.ts";

export interface SavedConnection {
  /** As main saved it; the factory takes anything but infisical and openbao for Vault. */
  readonly backend: string;
  readonly url: string;
  readonly namespace: string | undefined;
  readonly caCertificate: string | undefined;
}

const revokeBudgetMs = 20_000;

export async function revokeSavedToken(token: string, saved: SavedConnection): Promise<RevokeOutcome> {
  let url: URL;
  try {
    url = new URL(saved.url);
  } catch {
    throw new KeybridgeError("KB_INPUT_INVALID", "the backend address saved by main is unreadable; the token expires at the end of its TTL");
  }
  const http = new HttpClient({
    timeoutMs: revokeBudgetMs,
    retries: 3,
    caCertificate: saved.caCertificate,
    timeoutAdvice: "the token stays valid until its TTL ends",
  });
  try {
    return await revokeToken(http, { backend: saved.backend as BackendKind, url, namespace: saved.namespace }, token);
  } finally {
    await http.close();
  }
}
