// A reverse proxy on 127.0.0.1 that forwards to the dev backend and injects faults, scripted per
// request: a rule names a method and path, a fault, and how many attempts it hits (the first N,
// or all of them). Everything else is forwarded unchanged. What it did is kept per path, so a
// scenario can tell that the fault really happened and how often the client came back.
import { createServer as createHttpServer, request as httpRequest, Agent, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";

export type InjectedFault = "429" | "500" | "502" | "503" | "412" | "reset" | "stall" | "trickle" | "truncated";

export interface FaultRule {
  readonly method: string;
  /** The request path without its query. */
  readonly path: string;
  readonly fault: InjectedFault;
  /** The first `times` attempts are hit; Infinity hits every attempt. */
  readonly times: number;
}

export interface ProxyOptions {
  readonly upstream: string;
  /** Serve TLS with this key and certificate instead of plain HTTP. */
  readonly tls?: { readonly key: string; readonly cert: string };
}

/** Bytes of a trickled answer are sent this far apart. */
const trickleIntervalMs = 200;
/** A reset waits this long after half the body, so the client surely holds headers and half a body. */
const resetDelayMs = 50;

/** What an overloaded, sealed or rate-limited backend (or the gateway before it) answers. */
const statusAnswers: Record<string, { headers: Record<string, string>; body: string }> = {
  "429": { headers: { "content-type": "application/json", "retry-after": "1" }, body: '{"errors":["request rate limit exceeded"]}' },
  "500": { headers: { "content-type": "application/json" }, body: '{"errors":["internal error"]}' },
  "502": { headers: { "content-type": "text/html" }, body: "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>\n" },
  "503": { headers: { "content-type": "application/json" }, body: '{"errors":["Vault is sealed"]}' },
  "412": { headers: { "content-type": "application/json" }, body: '{"errors":["required index state not present"]}' },
};

const hopByHop = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "host", "proxy-connection", "upgrade"]);

export interface Seen {
  attempts: number;
  faulted: number;
  /** performance.now() of each attempt's arrival. */
  readonly arrivals: number[];
}

interface Upstream {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

export class FaultProxy {
  private rules: FaultRule[] = [];
  private readonly counts = new Map<string, Seen>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sockets = new Set<Socket>();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 16 });
  private closed = false;

  private constructor(
    private readonly server: Server,
    private readonly upstream: URL,
    readonly origin: string,
  ) {}

  static async start(options: ProxyOptions): Promise<FaultProxy> {
    const server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }) : createHttpServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const proxy = new FaultProxy(server, new URL(options.upstream), `${options.tls ? "https" : "http"}://127.0.0.1:${port}`);
    server.on(options.tls ? "secureConnection" : "connection", (socket: Socket) => {
      proxy.sockets.add(socket);
      socket.on("close", () => proxy.sockets.delete(socket));
    });
    // A failed TLS handshake (the point of the unknown-CA fault) is not the proxy's trouble.
    server.on("tlsClientError", () => undefined);
    server.on("request", (request: IncomingMessage, response: ServerResponse) => {
      proxy.handle(request, response).catch(() => response.destroy());
    });
    return proxy;
  }

  script(rules: readonly FaultRule[]): void {
    this.rules = [...rules];
  }

  /** Attempts seen and attempts faulted on one method and path, and when each arrived. */
  seen(method: string, path: string): Seen {
    return this.counts.get(`${method} ${path}`) ?? { attempts: 0, faulted: 0, arrivals: [] };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.server.closeAllConnections?.();
    this.agent.destroy();
    await closing;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? "GET";
    const path = (request.url ?? "/").split("?")[0]!;
    const key = `${method} ${path}`;
    const count = this.counts.get(key) ?? { attempts: 0, faulted: 0, arrivals: [] };
    this.counts.set(key, count);
    count.attempts += 1;
    count.arrivals.push(performance.now());
    const rule = this.rules.find((candidate) => candidate.method === method && candidate.path === path);
    const fault = rule && count.attempts <= rule.times ? rule.fault : undefined;
    if (fault) count.faulted += 1;
    const body = await readAll(request);

    if (fault === "stall") return; // Accepted, read, never answered: the socket closes with the client or the proxy.
    const canned = fault ? statusAnswers[fault] : undefined;
    if (canned) {
      response.writeHead(Number(fault), { ...canned.headers, "content-length": String(Buffer.byteLength(canned.body)) }).end(canned.body);
      return;
    }
    const upstream = await this.forward(request, body);
    if (fault === undefined) {
      response.writeHead(upstream.status, { ...upstream.headers, "content-length": String(upstream.body.length) }).end(upstream.body);
    } else if (fault === "truncated") {
      // A complete HTTP answer whose JSON is cut in half: what a proxy with a full buffer sends.
      const source = upstream.body.length > 0 ? upstream.body : Buffer.from('{"request_id":"00000000","data":null}');
      const cut = source.subarray(0, Math.floor(source.length / 2));
      response.writeHead(upstream.body.length > 0 ? upstream.status : 200, { "content-type": "application/json", "content-length": String(cut.length) }).end(cut);
    } else if (fault === "reset") {
      // Headers and half the body, then a TCP reset.
      const source = upstream.body.length > 0 ? upstream.body : Buffer.from('{"request_id":"00000000","data":null}');
      response.writeHead(upstream.body.length > 0 ? upstream.status : 200, { "content-type": "application/json", "content-length": String(source.length) });
      response.write(source.subarray(0, Math.floor(source.length / 2)), () => {
        this.later(resetDelayMs, () => {
          const socket = response.socket as (Socket & { resetAndDestroy?: () => void }) | null;
          if (socket?.resetAndDestroy) socket.resetAndDestroy();
          else socket?.destroy();
        });
      });
    } else if (fault === "trickle") {
      // The whole answer, one byte every 200 ms: never idle long enough for a per-chunk timeout.
      response.writeHead(upstream.status, { ...upstream.headers, "content-length": String(upstream.body.length) });
      response.flushHeaders();
      let sent = 0;
      const next = (): void => {
        if (response.destroyed || response.writableEnded || this.closed) return;
        response.write(upstream.body.subarray(sent, sent + 1));
        sent += 1;
        if (sent >= upstream.body.length) response.end();
        else this.later(trickleIntervalMs, next);
      };
      this.later(trickleIntervalMs, next);
    }
  }

  private forward(request: IncomingMessage, body: Buffer): Promise<Upstream> {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(request.headers)) if (value !== undefined && !hopByHop.has(name)) headers[name] = value;
    headers["content-length"] = String(body.length);
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        { host: this.upstream.hostname, port: this.upstream.port, method: request.method, path: request.url, headers, agent: this.agent, timeout: 10_000 },
        (incoming) => {
          readAll(incoming).then((answer) => {
            const kept: Record<string, string | string[]> = {};
            for (const [name, value] of Object.entries(incoming.headers)) if (value !== undefined && !hopByHop.has(name)) kept[name] = value;
            resolve({ status: incoming.statusCode ?? 502, headers: kept, body: answer });
          }, reject);
        },
      );
      outgoing.on("timeout", () => outgoing.destroy(new Error("the dev backend did not answer the proxy within 10 s")));
      outgoing.on("error", reject);
      outgoing.end(body);
    });
  }

  private later(ms: number, run: () => void): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}
