// One keep-alive connection pool per route (direct, or through a given proxy), shared by every
// request of a step, on Node's built-in node:http and node:https: no WebAssembly HTTP parser to
// compile at start, nothing to load beyond what Node has, and close() ends every socket at once so
// the process exits as soon as its work is done. Through a proxy, http:// targets are sent to it
// by absolute URI and https:// targets go through a CONNECT tunnel, as curl does.
import type * as Http from "node:http";
import type { IncomingHttpHeaders, IncomingMessage, RequestOptions } from "node:http";
import type * as Https from "node:https";
import { isIP } from "node:net";
import type { Duplex } from "node:stream";
import type { ConnectionOptions } from "node:tls";
import { proxyFor } from "./proxy.ts";

// Taken with getBuiltinModule rather than imported: on Node 24 an ES import of node:http builds a
// facade of all its exports, whose getters load Node's own undici (+14 MiB, +25 ms of CPU). TLS
// is loaded on the first https:// request only: a step against http:// never pays for it.
const http = (): typeof Http => process.getBuiltinModule("node:http");
const https = (): typeof Https => process.getBuiltinModule("node:https");

export interface AgentOptions {
  /** Trusted CAs replacing Node's defaults, or undefined for the defaults. */
  readonly ca: string[] | undefined;
  /** Connections per origin: the bound on parallel requests. */
  readonly connections: number;
  /** How long a proxy may take to open a CONNECT tunnel. */
  readonly connectTimeoutMs: number;
  /** TLS settings for the backend's origin only (mutual TLS, an unverified certificate), never for GitHub's token service. */
  readonly backendTls?: BackendTls | undefined;
}

export interface BackendTls {
  readonly origin: string;
  readonly cert: string | undefined;
  readonly key: string | undefined;
  readonly rejectUnauthorized: boolean;
}

/** The https.Agent options of a route: the trusted CAs, and the backend's own TLS settings on its route. */
function tlsOptions(ca: string[] | undefined, backend: BackendTls | undefined): Https.AgentOptions {
  return {
    ...(ca ? { ca } : {}),
    ...(backend?.cert && backend.key ? { cert: backend.cert, key: backend.key } : {}),
    ...(backend && !backend.rejectUnauthorized ? { rejectUnauthorized: false } : {}),
  };
}

export interface Exchange {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  /** Aborting destroys the request and its socket. */
  readonly signal: AbortSignal;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/** `Basic …` from a proxy URL's credentials, or undefined when it has none. */
function proxyAuthorization(proxy: URL): string | undefined {
  if (!proxy.username) return undefined;
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return `Basic ${Buffer.from(credentials).toString("base64")}`;
}

function defaultPort(url: URL): number {
  return Number(url.port || (url.protocol === "https:" ? 443 : 80));
}

/** Opens a CONNECT tunnel through `proxy` to host:port and hands back the raw socket. */
function openTunnel(proxy: URL, options: AgentOptions, host: string, port: number, done: (error: Error | null, socket?: Duplex) => void): void {
  const { ca } = options;
  const authorization = proxyAuthorization(proxy);
  const send = proxy.protocol === "https:" ? https().request : http().request;
  const connect = send({
    host: proxy.hostname,
    port: defaultPort(proxy),
    method: "CONNECT",
    path: `${host}:${port}`,
    headers: { host: `${host}:${port}`, ...(authorization ? { "proxy-authorization": authorization } : {}) },
    ...(proxy.protocol === "https:" && ca ? { ca } : {}),
    agent: false,
  });
  connect.once("connect", (response: IncomingMessage, socket: Duplex) => {
    if (response.statusCode === 200) return done(null, socket);
    socket.destroy();
    done(new Error(`the proxy answered HTTP ${response.statusCode} to CONNECT ${host}:${port}`));
  });
  connect.once("error", (error) => done(error));
  // Not one of the agent's sockets, so close() cannot end it: it ends itself if the proxy stalls.
  connect.setTimeout(options.connectTimeoutMs, () => {
    connect.destroy(Object.assign(new Error("the proxy did not open the tunnel in time"), { code: "ETIMEDOUT" }));
  });
  connect.end();
}

/** An https agent whose sockets are TLS over a CONNECT tunnel through the proxy. */
function tunnelingAgent(proxy: URL, options: AgentOptions, tls: Https.AgentOptions): Https.Agent {
  // The agent hands its options (tls among them) to createConnection, which gives them to tls.connect.
  const agent = new (https().Agent)({ keepAlive: true, maxSockets: options.connections, ...tls });
  const createConnection = (socketOptions: ConnectionOptions & { host?: string; port?: number }, callback: (error: Error | null, socket?: Duplex) => void): undefined => {
    const host = socketOptions.host ?? "localhost";
    openTunnel(proxy, options, host, socketOptions.port ?? 443, (error, raw) => {
      if (error || !raw) return callback(error ?? new Error("the proxy closed the tunnel"));
      // SNI carries host names only; Node refuses an IP address there.
      const secure = process.getBuiltinModule("node:tls").connect({ ...socketOptions, socket: raw, ...(isIP(host) ? {} : { servername: host }) });
      secure.once("secureConnect", () => callback(null, secure));
      secure.once("error", (failure) => callback(failure));
    });
    return undefined;
  };
  // node:https calls createConnection(options, callback) and waits for the callback when it returns nothing.
  Object.assign(agent, { createConnection });
  return agent;
}

/**
 * Sockets opened ahead of the requests that will use them, per "host:port" of one agent: the
 * agent's createConnection hands one out (already connected, or connecting) before it opens a new
 * one, so the handshake overlaps with earlier work instead of waiting in front of each request.
 */
class WarmSockets {
  private readonly byAddress = new Map<string, Duplex[]>();
  /** The agent's own createConnection. */
  private readonly connect: (options: object, callback?: never) => Duplex;

  /** Wraps `agent`'s createConnection (node:http's documented hook) so it takes a warm socket first. */
  constructor(private readonly agent: Http.Agent) {
    this.connect = agent.createConnection.bind(agent) as (options: object, callback?: never) => Duplex;
    Object.assign(agent, {
      createConnection: (options: { host?: string; port?: number }, callback?: never) => this.take(options) ?? this.connect(options, callback),
    });
  }

  /** Opens `count` sockets to url's host and port with the agent's own options (TLS ones included). */
  open(url: URL, count: number): void {
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const port = defaultPort(url);
    const list = this.listFor(host, port);
    const options = { ...(this.agent as unknown as { options: object }).options, host, port, ...(isIP(host) ? {} : { servername: host }) };
    for (let i = 0; i < count; i++) {
      const socket = this.connect(options);
      // Until a request takes it, a failure only drops it: the request then connects on its own and reports that.
      socket.on("error", ignore);
      socket.once("close", () => {
        const at = list.indexOf(socket);
        if (at >= 0) list.splice(at, 1);
      });
      list.push(socket);
    }
  }

  /** Ends the sockets no request took. */
  close(): void {
    for (const list of this.byAddress.values()) for (const socket of list.splice(0)) socket.destroy();
  }

  private take(options: { host?: string; port?: number }): Duplex | undefined {
    const list = this.byAddress.get(`${options.host}:${options.port}`);
    const socket = list?.shift();
    if (!socket) return undefined;
    socket.off("error", ignore);
    return socket;
  }

  private listFor(host: string, port: number): Duplex[] {
    const key = `${host}:${port}`;
    let list = this.byAddress.get(key);
    if (!list) this.byAddress.set(key, (list = []));
    return list;
  }
}

function ignore(): void {}

export class Agents {
  private readonly byRoute = new Map<string, Http.Agent>();
  private readonly warm = new Map<Http.Agent, WarmSockets>();

  constructor(private readonly options: AgentOptions) {}

  /** The proxy a request to `url` goes through (undefined: direct). */
  proxyFor(url: URL): string | undefined {
    return proxyFor(url);
  }

  /**
   * Opens up to `count` connections to url's origin now, for requests that will follow (direct
   * routes only: through a proxy each connection is a tunnel the proxy may meter).
   */
  preconnect(url: URL, count: number): void {
    if (this.proxyFor(url)) return;
    const agent = this.agentFor(url);
    let warm = this.warm.get(agent);
    if (!warm) this.warm.set(agent, (warm = new WarmSockets(agent)));
    warm.open(url, Math.min(count, this.options.connections));
  }

  send(exchange: Exchange): Promise<RawResponse> {
    const { url } = exchange;
    const proxy = this.proxyFor(url);
    const secure = url.protocol === "https:";
    const agent = this.agentFor(url);
    const headers: Record<string, string> = { ...exchange.headers };
    if (exchange.body !== undefined) headers["content-length"] = String(Buffer.byteLength(exchange.body));
    const target: RequestOptions = { method: exchange.method, headers, agent, signal: exchange.signal };
    if (proxy && !secure) {
      // A plain http:// target through a proxy: ask the proxy for the absolute URI.
      const proxyUrl = new URL(proxy);
      const authorization = proxyAuthorization(proxyUrl);
      Object.assign(target, { host: proxyUrl.hostname, port: defaultPort(proxyUrl), path: url.href });
      headers.host = url.host;
      if (authorization) headers["proxy-authorization"] = authorization;
    } else {
      Object.assign(target, { host: url.hostname.replace(/^\[|\]$/g, ""), port: defaultPort(url), path: `${url.pathname}${url.search}` });
    }
    return new Promise((resolve, reject) => {
      const request = (secure ? https().request : http().request)(target, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.once("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString("utf8") }));
        response.once("error", reject);
        // A connection cut mid-body ends the response early without an error of its own.
        response.once("aborted", () => reject(Object.assign(new Error("the connection was reset mid-answer"), { code: "ECONNRESET" })));
      });
      request.once("error", reject);
      request.end(exchange.body);
    });
  }

  /** Ends every connection now: nothing is left to keep the process alive. */
  close(): void {
    for (const warm of this.warm.values()) warm.close();
    this.warm.clear();
    for (const agent of this.byRoute.values()) agent.destroy();
    this.byRoute.clear();
  }

  /** The pool of url's route; the backend's origin with TLS settings of its own gets a pool of its own. */
  private agentFor(url: URL): Http.Agent {
    const proxy = this.proxyFor(url);
    const secure = url.protocol === "https:";
    const backend = this.options.backendTls?.origin === url.origin ? this.options.backendTls : undefined;
    const key = `${secure ? "https" : "http"} ${proxy ?? ""} ${secure && backend ? "backend" : ""}`;
    let agent = this.byRoute.get(key);
    if (!agent) {
      const { ca, connections } = this.options;
      const tls = tlsOptions(ca, secure ? backend : undefined);
      if (secure && proxy) agent = tunnelingAgent(new URL(proxy), this.options, tls);
      else if (secure) agent = new (https().Agent)({ keepAlive: true, maxSockets: connections, ...tls });
      else agent = new (http().Agent)({ keepAlive: true, maxSockets: connections });
      this.byRoute.set(key, agent);
    }
    return agent;
  }
}
