// A cluster is known by its API server's address, the one thing every backend's Kubernetes auth
// config names (Vault's kubernetes_host, Infisical's kubernetesHost): each TokenReview goes there.
// Vault accepts "host", "host:port" or a URL; all three name the same cluster once the scheme,
// the default port 443, a trailing slash and letter case are gone.
import { withCode } from "../../policy/errors/keybridge-error.ts";

export class ClusterHostError extends withCode("KB_DEV_CONFIG_INVALID") {}

/** The cluster a pod's own config points at when nothing else is named. */
export const inClusterHost = "kubernetes.default.svc";

export function clusterKey(host: string): string {
  const trimmed = host.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    throw new ClusterHostError(`"${host}" is not a Kubernetes API host; give host, host:port or https://host[:port]`);
  }
  if (url.hostname === "" || (url.pathname !== "/" && url.pathname !== "")) {
    throw new ClusterHostError(`"${host}" is not a Kubernetes API host; give host, host:port or https://host[:port] without a path`);
  }
  const port = url.port === "" || url.port === "443" ? "" : `:${url.port}`;
  return `${url.hostname.toLowerCase()}${port}`;
}
