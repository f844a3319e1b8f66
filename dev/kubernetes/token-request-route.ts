// The TokenRequest API of every cluster keybridge dev plays, under /_kubernetes/<cluster>/:
// POST …/api/v1/namespaces/<ns>/serviceaccounts/<name>/token with Kubernetes' TokenRequest body
// (spec.audiences, spec.expirationSeconds, spec.boundObjectRef of kind Pod) answers 201 with
// status.token, as `kubectl create token` gets it. <cluster> is the API host a backend's config
// names (host or host:port), or "default" for the only configured one. Root token required
// (X-Vault-Token or Authorization: Bearer): minting is the cluster admin's power.
import * as z from "zod";
import { sendJson, type Exchange } from "../http-io.ts";
import { jsonDepth, maxJsonDepth, tooDeepMessage } from "../json-input.ts";
import type { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import { isKubernetesName } from "../../policy/kubernetes/names.ts";
import { ClusterHostError } from "./cluster-host.ts";
import type { Clusters } from "./clusters.ts";
import { minimumExpirationSeconds } from "./service-account-issuer.ts";

export const tokenRequestPrefix = "/_kubernetes/";

const tokenRequestPath = /^\/_kubernetes\/(?<cluster>[^/]+)\/api\/v1\/namespaces\/(?<namespace>[^/]+)\/serviceaccounts\/(?<name>[^/]+)\/token$/;
/** DNS-1123 label (namespaces) and subdomain (service accounts), as the API server checks them. */

const tokenRequestBody = z.object({
  spec: z.object({
    audiences: z.array(z.string()).optional(),
    expirationSeconds: z.number().int().positive().optional(),
    boundObjectRef: z.object({ kind: z.literal("Pod"), name: z.string().min(1) }).optional(),
  }).optional(),
});

export interface TokenRequestRouteOptions {
  readonly clusters: Clusters;
  readonly isRootToken: (token: string | undefined) => boolean;
}

function status(response: Exchange["response"], code: number, message: string): void {
  sendJson(response, code, { kind: "Status", apiVersion: "v1", status: "Failure", message, code });
}

function presentedToken(exchange: Exchange): string | undefined {
  const header = exchange.request.headers["x-vault-token"];
  if (typeof header === "string") return header;
  return /^bearer\s+(\S+)\s*$/i.exec(exchange.request.headers.authorization ?? "")?.[1];
}

function parseBody(body: Buffer): z.infer<typeof tokenRequestBody> | string {
  const text = body.toString("utf8");
  if (text.trim() === "") return {};
  if (jsonDepth(text) > maxJsonDepth) return tooDeepMessage();
  try {
    const parsed = tokenRequestBody.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // Answered below, like a body of the wrong shape.
  }
  return 'the body must be a TokenRequest like {"spec":{"audiences":["vault"],"expirationSeconds":600}}';
}

/** Answers a request under /_kubernetes/; false when the path is not the TokenRequest endpoint. */
export async function serveTokenRequest(options: TokenRequestRouteOptions, exchange: Exchange, path: string): Promise<boolean> {
  const match = tokenRequestPath.exec(path);
  if (!match?.groups) return false;
  const { response } = exchange;
  if (exchange.request.method !== "POST") {
    status(response, 405, "the TokenRequest endpoint takes POST");
    return true;
  }
  if (!options.isRootToken(presentedToken(exchange))) {
    status(response, 403, "minting a service-account token needs the dev backend's root token (X-Vault-Token)");
    return true;
  }
  const { cluster, namespace, name } = match.groups as { cluster: string; namespace: string; name: string };
  if (!isKubernetesName(namespace, "label")) return (status(response, 422, `namespace "${namespace}" is not a DNS-1123 label (lowercase letters, digits and -, at most 63)`), true);
  if (!isKubernetesName(name, "subdomain")) return (status(response, 422, `service account name "${name}" is not a DNS-1123 subdomain (lowercase letters, digits, - and ., at most 253)`), true);
  const body = parseBody(exchange.body);
  if (typeof body === "string") return (status(response, 400, body), true);
  const lifetime = body.spec?.expirationSeconds;
  if (lifetime !== undefined && lifetime < minimumExpirationSeconds) return (status(response, 422, `spec.expirationSeconds ${lifetime} is under ${minimumExpirationSeconds}: may not specify a duration less than 10 minutes`), true);
  try {
    const host = cluster === "default" ? options.clusters.defaultCluster() : cluster;
    const issuer = await options.clusters.issuer(host);
    const minted = await issuer.mint({
      namespace,
      serviceAccount: name,
      audiences: body.spec?.audiences ?? [],
      ...(body.spec?.expirationSeconds !== undefined ? { expirationSeconds: body.spec.expirationSeconds } : {}),
      ...(body.spec?.boundObjectRef ? { pod: body.spec.boundObjectRef.name } : {}),
    });
    sendJson(response, 201, {
      kind: "TokenRequest",
      apiVersion: "authentication.k8s.io/v1",
      metadata: { name, namespace },
      spec: { audiences: body.spec?.audiences ?? [issuer.issuer], expirationSeconds: body.spec?.expirationSeconds ?? null },
      status: { token: minted.token, expirationTimestamp: minted.expirationTimestamp },
      cluster: issuer.issuer.replace(/^https:\/\//, ""),
    });
  } catch (error) {
    if (!(error instanceof ClusterHostError)) throw error;
    status(response, 400, (error as KeybridgeError).message);
  }
  return true;
}
