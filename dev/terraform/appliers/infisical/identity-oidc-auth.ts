// infisical_identity_oidc_auth: how an identity logs in with an OIDC token. Audiences and each
// bound claim are comma lists (split on "," and trimmed, as Infisical stores them), every entry a
// picomatch glob; the bound subject is one pattern.
import * as z from "zod";
import { defineInfisicalApplier } from "../../applier.ts";
import { tfString, tfStringList, tfStringMap } from "../../attributes.ts";
import { splitList } from "../../../infisical/oidc-bindings.ts";
import { answeredTokenLimits, tokenLimitAttributes, tokenLimits } from "./shared.ts";

export const infisicalIdentityOidcAuthApplier = defineInfisicalApplier({
  type: "infisical_identity_oidc_auth",
  attributes: z.object({
    identity_id: tfString,
    oidc_discovery_url: tfString,
    bound_issuer: tfString,
    bound_audiences: tfStringList.optional(),
    bound_claims: tfStringMap.optional(),
    bound_subject: tfString.optional(),
    claim_metadata_mapping: tfStringMap.optional(),
    // Kept for remote issuers; the emulated issuer needs no CA.
    oidc_ca_certificate: tfString.optional(),
    ...tokenLimitAttributes,
  }),
  apply(attributes, store) {
    const config = store.attachOidcAuth({
      identityId: attributes.identity_id,
      discoveryUrl: attributes.oidc_discovery_url,
      boundIssuer: attributes.bound_issuer,
      boundSubject: (attributes.bound_subject ?? "").trim(),
      boundAudiences: (attributes.bound_audiences ?? []).flatMap(splitList),
      boundClaims: Object.fromEntries(Object.entries(attributes.bound_claims ?? {}).map(([claim, patterns]) => [claim, splitList(patterns)])),
      ...tokenLimits(attributes),
    });
    return { ...attributes, ...answeredTokenLimits(config) };
  },
});
