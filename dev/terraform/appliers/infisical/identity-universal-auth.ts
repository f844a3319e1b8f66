// infisical_identity_universal_auth: lets an identity log in with a client id and a client
// secret (made by infisical_identity_universal_auth_client_secret).
import * as z from "zod";
import { defineInfisicalApplier } from "../../applier.ts";
import { tfString } from "../../attributes.ts";
import { answeredTokenLimits, tokenLimitAttributes, tokenLimits, trustedIpBlocks, trustedIps } from "./shared.ts";

export const infisicalIdentityUniversalAuthApplier = defineInfisicalApplier({
  type: "infisical_identity_universal_auth",
  attributes: z.object({
    identity_id: tfString,
    ...tokenLimitAttributes,
    client_secret_trusted_ips: trustedIpBlocks.optional(),
  }),
  apply(attributes, store) {
    const config = store.attachUniversalAuth({
      identityId: attributes.identity_id,
      ...tokenLimits(attributes),
      clientSecretTrustedIps: trustedIps(attributes.client_secret_trusted_ips, "client_secret_trusted_ips"),
    });
    return { ...attributes, ...answeredTokenLimits(config) };
  },
});
