// infisical_identity_kubernetes_auth: how an identity logs in with a service-account token. The
// allowed lists are sent comma-joined and kept split and trimmed, as Infisical stores them; each
// entry is an exact value or a picomatch glob. Only the api review mode exists here: keybridge
// dev plays the cluster at kubernetes_host, so there is no gateway to go through.
import * as z from "zod";
import { defineInfisicalApplier } from "../../applier.ts";
import { tfString, tfStringList } from "../../attributes.ts";
import { splitList } from "../../../infisical/oidc-bindings.ts";
import { StoreError } from "../../../infisical/store.ts";
import { clusterKey } from "../../../kubernetes/cluster-host.ts";
import { answeredTokenLimits, tokenLimitAttributes, tokenLimits } from "./shared.ts";

export const infisicalIdentityKubernetesAuthApplier = defineInfisicalApplier({
  type: "infisical_identity_kubernetes_auth",
  attributes: z.object({
    identity_id: tfString,
    kubernetes_host: tfString.optional(),
    // Kept as given: keybridge dev reviews tokens itself, with no CA or reviewer token to use.
    kubernetes_ca_certificate: tfString.optional(),
    token_reviewer_jwt: tfString.optional(),
    token_reviewer_mode: tfString.optional(),
    gateway_id: tfString.optional(),
    allowed_namespaces: tfStringList.optional(),
    allowed_service_account_names: tfStringList.optional(),
    allowed_audience: tfString.optional(),
    ...tokenLimitAttributes,
  }),
  sensitive: ["token_reviewer_jwt"],
  apply(attributes, store) {
    if ((attributes.token_reviewer_mode ?? "api") !== "api") {
      throw new StoreError(`token_reviewer_mode "${attributes.token_reviewer_mode}" of identity ${attributes.identity_id}: keybridge dev reviews tokens in api mode only; set token_reviewer_mode = "api" for local tries`);
    }
    if (!attributes.kubernetes_host) throw new StoreError(`identity ${attributes.identity_id}: kubernetes_host is required in api mode; set it to the cluster's API server`);
    clusterKey(attributes.kubernetes_host);
    const config = store.attachKubernetesAuth({
      identityId: attributes.identity_id,
      kubernetesHost: attributes.kubernetes_host,
      allowedNamespaces: (attributes.allowed_namespaces ?? []).flatMap(splitList),
      allowedNames: (attributes.allowed_service_account_names ?? []).flatMap(splitList),
      allowedAudience: (attributes.allowed_audience ?? "").trim(),
      ...tokenLimits(attributes),
    });
    return { ...attributes, token_reviewer_mode: "api", ...answeredTokenLimits(config) };
  },
});
