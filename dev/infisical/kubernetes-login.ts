// POST /api/v1/auth/kubernetes-auth/login, following Infisical's algorithm: the identity's
// Kubernetes auth (404 without one), a TokenReview at its kubernetesHost with the allowed audience
// (never a local JWT check), then the namespace and name from the reviewed username against the
// allowed lists (exact or picomatch glob), then the audience; every refusal is a 401. The cluster
// at kubernetesHost is the one keybridge dev plays (dev/kubernetes/).
import type { Clusters } from "../kubernetes/clusters.ts";
import type { AccessToken, AccessTokens, LoginAnswer } from "./access-tokens.ts";
import { notFound, unauthorized } from "./errors.ts";
import { patternMatches } from "./oidc-bindings.ts";
import type { InfisicalStore } from "./store.ts";

export interface KubernetesLoginDeps {
  readonly store: InfisicalStore;
  readonly tokens: AccessTokens;
  readonly clusters: Clusters;
}

const serviceAccountUser = /^system:serviceaccount:([^:]+):([^:]+)$/;

const allowed = (patterns: readonly string[], value: string): boolean => patterns.length === 0 || patterns.some((pattern) => patternMatches(value, pattern));

export async function kubernetesLogin(deps: KubernetesLoginDeps, identityId: string, jwt: string): Promise<{ answer: LoginAnswer; token: AccessToken }> {
  const config = deps.store.kubernetesAuth(identityId);
  if (!config) throw notFound(`Kubernetes auth method not found for identity, did you configure Kubernetes auth? (identity "${identityId}"); check the identity id or attach an infisical_identity_kubernetes_auth`);
  const issuer = await deps.clusters.issuer(config.kubernetesHost);
  const review = await issuer.review(jwt, config.allowedAudience ? [config.allowedAudience] : []);
  if (!review.authenticated) throw unauthorized(`${review.error}; mint the token in the cluster at ${config.kubernetesHost}, unexpired, for the identity's allowed audience`);
  const [, namespace = "", name = ""] = serviceAccountUser.exec(review.user.username) ?? [];
  if (!allowed(config.allowedNamespaces, namespace)) throw unauthorized(`Access denied: K8s namespace not allowed. (namespace "${namespace}"); use a service account of an allowed namespace or widen allowed_namespaces`);
  if (!allowed(config.allowedNames, name)) throw unauthorized(`Access denied: K8s name not allowed. (service account "${name}"); use an allowed service account or widen allowed_service_account_names`);
  if (config.allowedAudience && !review.audiences.includes(config.allowedAudience)) throw unauthorized(`Access denied: K8s audience not allowed.; request the token with audience "${config.allowedAudience}"`);
  return deps.tokens.issue(identityId, "kubernetes-auth", config);
}
