// infisical_identity_universal_auth_client_secret: a client secret of an identity's universal
// auth. The computed client_secret is sensitive: only a sensitive output may show it.
import * as z from "zod";
import { defineInfisicalApplier } from "../../applier.ts";
import { tfNumber, tfString } from "../../attributes.ts";

export const infisicalIdentityUniversalAuthClientSecretApplier = defineInfisicalApplier({
  type: "infisical_identity_universal_auth_client_secret",
  attributes: z.object({
    identity_id: tfString,
    description: tfString.optional(),
    number_of_uses_limit: tfNumber.optional(),
    ttl: tfNumber.optional(),
  }),
  computed: ["client_id", "client_secret", "created_at", "is_revoked", "number_of_uses"],
  sensitive: ["client_secret"],
  apply(attributes, store) {
    const { secret, clientId, value } = store.createClientSecret({
      identityId: attributes.identity_id,
      ttl: attributes.ttl ?? 0,
      usesLimit: attributes.number_of_uses_limit ?? 0,
    });
    return {
      ...attributes,
      id: secret.id,
      client_id: clientId,
      client_secret: value,
      created_at: new Date(secret.createdAt).toISOString(),
      is_revoked: false,
      number_of_uses: 0,
    };
  },
});
