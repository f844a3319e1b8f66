// HTTPS for the dev backend (`keybridge dev --tls-cert/--tls-key`, or --tls), and mutual TLS with
// --tls-client-ca: the handshake fails for a client without a certificate that CA signed, as at a
// Vault listener with tls_require_and_verify_client_cert. The backend's own calls to itself (the
// Terraform file applied through the API, the LIST relay) then present a client certificate of an
// internal CA made at start, whose key never leaves this process.
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { connect as tlsConnect } from "node:tls";
import { connect as tcpConnect, type Socket } from "node:net";
import { Agent, fetch as undiciFetch } from "undici";

export interface DevTls {
  /** PEM: the server's certificate (and chain), and its private key. */
  readonly cert: string;
  readonly key: string;
  /** PEM: the CA whose certificates clients must present (mutual TLS); absent, none is asked for. */
  readonly clientCa?: string;
}

/** What the server listens with, and what its calls to itself present. */
export interface ServingTls {
  readonly tls: DevTls;
  /** CAs the server accepts client certificates from: the user's and the internal one. */
  readonly trustedClientCas: readonly string[];
  readonly self: { readonly cert: string; readonly key: string } | undefined;
}

const keepAliveTimeout = 30_000;

/** The internal client certificate is only needed when clients must present one. */
export async function servingTls(tls: DevTls | undefined): Promise<ServingTls | undefined> {
  if (!tls) return undefined;
  if (!tls.clientCa) return { tls, trustedClientCas: [], self: undefined };
  const { throwawayCertificate } = await import("./throwaway-certificate.ts");
  const internal = await throwawayCertificate({
    caName: "keybridge dev internal client CA", commonName: "keybridge dev", dnsNames: [], ipAddresses: [], serverAuth: false, clientAuth: true, days: 366,
  });
  return { tls, trustedClientCas: [tls.clientCa, internal.caPem], self: { cert: internal.cert, key: internal.key } };
}

/**
 * node:https's server has every method of node:http's that the dev server uses (listen, close,
 * closeAllConnections, address, the request and clientError events), so both are handled as one.
 */
export function createDevServer(serving: ServingTls | undefined): Server {
  if (!serving) return createHttpServer({ keepAliveTimeout });
  const { tls, trustedClientCas } = serving;
  const server = createHttpsServer({
    keepAliveTimeout,
    cert: tls.cert,
    key: tls.key,
    ...(trustedClientCas.length > 0 ? { ca: [...trustedClientCas], requestCert: true, rejectUnauthorized: true } : {}),
  });
  return server as unknown as Server;
}

/** A connection from this process to its own listener (the LIST relay). */
export function connectToSelf(serving: ServingTls | undefined, port: number, host: string): Socket {
  if (!serving) return tcpConnect(port, host);
  return tlsConnect({ port, host, ...serving.self, rejectUnauthorized: false });
}

/** fetch for this process's calls to its own API: over TLS, with the internal client certificate. */
export function fetchForSelf(serving: ServingTls | undefined): typeof fetch {
  if (!serving) return fetch;
  const dispatcher = new Agent({ connect: { ...serving.self, rejectUnauthorized: false } });
  return ((input: string, init?: RequestInit) => undiciFetch(input, { ...(init as object), dispatcher })) as unknown as typeof fetch;
}
