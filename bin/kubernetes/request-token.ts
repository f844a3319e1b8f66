// Asks keybridge dev's TokenRequest API (/_kubernetes/<cluster>/…, see dev/kubernetes/) for a
// service account's token, as the operators and `kubectl create token` ask a cluster. The root
// token authorizes it; neither the root token nor the minted token ever appears in an error.
import * as z from "zod";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";

export interface ServiceAccountTokenRequest {
  /** keybridge dev's address (VAULT_ADDR). */
  readonly addr: URL;
  readonly rootToken: string;
  /** The cluster's API host; "default" for the only configured one. */
  readonly cluster: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly audiences: readonly string[];
  readonly expirationSeconds?: number | undefined;
}

const answer = z.object({ status: z.object({ token: z.string().min(1), expirationTimestamp: z.string() }), cluster: z.string() });
const refusal = z.object({ message: z.string() });

/** The API host as a path segment: a URL's scheme and slashes would split it. */
function clusterSegment(cluster: string): string {
  if (!cluster.includes("://")) return cluster.replace(/\/+$/, "");
  try {
    return new URL(cluster).host;
  } catch {
    return cluster;
  }
}

export async function requestServiceAccountToken(request: ServiceAccountTokenRequest): Promise<{ token: string; cluster: string; expires: string }> {
  const path = ["_kubernetes", clusterSegment(request.cluster), "api", "v1", "namespaces", request.namespace, "serviceaccounts", request.serviceAccount, "token"].map(encodeURIComponent).join("/");
  const url = new URL(`/${path}`, request.addr);
  const body = { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { audiences: request.audiences, ...(request.expirationSeconds ? { expirationSeconds: request.expirationSeconds } : {}) } };
  let response: Response;
  try {
    response = await fetch(url, { method: "POST", headers: { "X-Vault-Token": request.rootToken, "Content-Type": "application/json" }, body: JSON.stringify(body) });
  } catch (error) {
    throw new KeybridgeError("KB_HTTP_FAILED", `keybridge dev at ${request.addr.origin} cannot be reached (${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : "connection failed"}): start it with keybridge dev and export VAULT_ADDR`);
  }
  const json: unknown = await response.json().catch(() => undefined);
  const minted = answer.safeParse(json);
  if (response.status === 201 && minted.success) return { token: minted.data.status.token, cluster: minted.data.cluster, expires: minted.data.status.expirationTimestamp };
  if (response.status === 404) throw new KeybridgeError("KB_HTTP_FAILED", `${request.addr.origin} has no TokenRequest API (HTTP 404): point VAULT_ADDR (or --addr) at keybridge dev, not at another Vault`);
  const message = refusal.safeParse(json).data?.message ?? `HTTP ${response.status}`;
  const advice = response.status === 403 ? "; give keybridge dev's root token (VAULT_TOKEN or --root-token)" : "";
  throw new KeybridgeError("KB_INPUT_INVALID", `keybridge dev refused the token of ${request.namespace}/${request.serviceAccount} in cluster ${request.cluster}: ${message}${advice}`);
}
