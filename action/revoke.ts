// Revokes the token main saved, with a short budget: the job is over and must not wait long.
import { HttpClient } from "../client/http/http-client.ts";
import { isRecord } from "../client/backends/answers.ts";
import { revokeToken } from "../client/backends/revocation.ts";
import type { BackendKind } from "../client/backends/create-backend.ts";
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";
import type { RevokeOutcome } from "../client/backends/backend.ts";
import { pemFromInput } from "./tls-and-headers.ts";

export interface SavedConnection {
  /** As main saved it; the factory takes anything but infisical and openbao for Vault. */
  readonly backend: string;
  readonly url: string;
  readonly namespace: string | undefined;
  readonly caCertificate: string | undefined;
  /** JSON saved by main: the CA, mutual TLS and extra headers it used. */
  readonly connection?: string;
}

interface Connection {
  readonly caCertificate?: string;
  readonly tls?: { readonly skipVerify: boolean; readonly clientCertificate?: string; readonly clientKey?: string };
  readonly extraHeaders?: Record<string, string>;
}

const isString = (value: unknown): value is string => typeof value === "string";

/** Read by hand, not with zod: the post step loads as little as it can. Anything malformed is left out. */
function parseConnection(text: string | undefined): Connection {
  let value: unknown;
  try {
    value = text ? JSON.parse(text) : undefined;
  } catch {
    return {};
  }
  if (!isRecord(value)) return {};
  const { caCertificate, tls, extraHeaders } = value;
  const goodTls = isRecord(tls) && typeof tls.skipVerify === "boolean"
    && [tls.clientCertificate, tls.clientKey].every((pem) => pem === undefined || isString(pem));
  const goodHeaders = isRecord(extraHeaders) && Object.values(extraHeaders).every(isString);
  return {
    ...(isString(caCertificate) ? { caCertificate } : {}),
    ...(goodTls ? { tls: tls as Connection["tls"] } : {}),
    ...(goodHeaders ? { extraHeaders: extraHeaders as Record<string, string> } : {}),
  };
}

const revokeBudgetMs = 20_000;

export async function revokeSavedToken(token: string, saved: SavedConnection): Promise<RevokeOutcome> {
  let url: URL;
  try {
    url = new URL(saved.url);
  } catch {
    throw new KeybridgeError("KB_INPUT_INVALID", "the backend address saved by main is unreadable; the token expires at the end of its TTL");
  }
  const connection = parseConnection(saved.connection);
  const tls = connection.tls;
  const http = new HttpClient({
    timeoutMs: revokeBudgetMs,
    retries: 3,
    caCertificate: connection.caCertificate ?? saved.caCertificate,
    backendTls: tls && (tls.skipVerify || tls.clientCertificate)
      ? {
        origin: url.origin,
        cert: tls.clientCertificate && pemFromInput("clientCertificate", tls.clientCertificate),
        key: tls.clientKey && pemFromInput("clientKey", tls.clientKey),
        rejectUnauthorized: !tls.skipVerify,
      }
      : undefined,
    timeoutAdvice: "the token stays valid until its TTL ends",
  });
  try {
    return await revokeToken(http, { backend: saved.backend as BackendKind, url, namespace: saved.namespace, extraHeaders: connection.extraHeaders }, token);
  } finally {
    await http.close();
  }
}
