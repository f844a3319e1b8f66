// Which proxy, if any, a request to a URL goes through: HTTPS_PROXY / HTTP_PROXY and NO_PROXY as
// curl reads them (lower-case names first), since self-hosted runners often sit behind one.

type Env = Readonly<Record<string, string | undefined>>;

function variable(env: Env, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return value && value.trim() !== "" ? value.trim() : undefined;
}

function defaultPort(protocol: string): string {
  return protocol === "https:" ? "443" : "80";
}

/** NO_PROXY entries: `*`, host names (a leading `.` or `*.` matches subdomains), IPs, optional `:port`. */
export function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = url.port || defaultPort(url.protocol);
  return noProxy.split(/[\s,]+/).some((rawEntry) => {
    const entry = rawEntry.trim().toLowerCase();
    if (entry === "") return false;
    if (entry === "*") return true;
    const match = /^(.*?)(?::(\d+))?$/.exec(entry.replace(/^\[(.*)\]/, "$1"))!;
    const entryHost = match[1]!.replace(/^\*?\./, "");
    if (match[2] && match[2] !== port) return false;
    return host === entryHost || host.endsWith(`.${entryHost}`);
  });
}

/** Loopback never goes through a proxy (the dev backend on a laptop behind a corporate proxy). */
function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

/** The proxy URL for `url`, or undefined for a direct connection. */
export function proxyFor(url: URL, env: Env = process.env): string | undefined {
  if (bypassesProxy(url, variable(env, "no_proxy"))) return undefined;
  if (isLoopback(url)) return undefined;
  return variable(env, url.protocol === "https:" ? "https_proxy" : "http_proxy");
}

/** A proxy URL as it may be logged: scheme, host and port, never its credentials. */
export function describeProxy(proxy: string): string {
  try {
    const url = new URL(proxy);
    return `${url.protocol}//${url.host}`;
  } catch {
    return "(unparseable proxy URL)";
  }
}
