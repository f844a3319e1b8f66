// Which hosts count as loopback, and the URL clients use to reach the server.
import { isIP } from "node:net";

export function isLoopback(host: string): boolean {
  if (host === "localhost" || host === "::1") return true;
  return isIP(host) === 4 && host.startsWith("127.");
}

/** http(s)://HOST:PORT; a wildcard bind (0.0.0.0, ::) is reached locally through 127.0.0.1. */
export function baseUrlFor(host: string, port: number, scheme: "http" | "https" = "http"): string {
  const reachable = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return `${scheme}://${isIP(reachable) === 6 ? `[${reachable}]` : reachable}:${port}`;
}
