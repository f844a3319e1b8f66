// One keep-alive connection pool per route (direct, or through a given proxy), shared by every
// request of a step. This is the only module that loads undici.
import { Agent, ProxyAgent, type Dispatcher } from "undici";
import { proxyFor } from "./proxy.ts";

export interface DispatcherOptions {
  /** Trusted CAs replacing Node's defaults, or undefined for the defaults. */
  readonly ca: string[] | undefined;
  readonly connectTimeoutMs: number;
  /** Connections per origin: the bound on parallel reads. */
  readonly connections: number;
}

export class Dispatchers {
  private readonly byProxy = new Map<string, Dispatcher>();

  constructor(private readonly options: DispatcherOptions) {}

  /** The pool a request to `url` goes through, and the proxy it uses (undefined: direct). */
  for(url: URL): { dispatcher: Dispatcher; proxy: string | undefined } {
    const proxy = proxyFor(url);
    const key = proxy ?? "";
    let dispatcher = this.byProxy.get(key);
    if (!dispatcher) {
      const { ca, connectTimeoutMs, connections } = this.options;
      const tls = ca ? { ca } : {};
      dispatcher = proxy
        ? new ProxyAgent({ uri: proxy, connections, requestTls: { ...tls, timeout: connectTimeoutMs }, proxyTls: tls })
        : new Agent({ connections, keepAliveTimeout: 10_000, connect: { ...tls, timeout: connectTimeoutMs } });
      this.byProxy.set(key, dispatcher);
    }
    return { dispatcher, proxy };
  }

  async close(): Promise<void> {
    await Promise.all([...this.byProxy.values()].map((dispatcher) => dispatcher.close()));
    this.byProxy.clear();
  }
}
