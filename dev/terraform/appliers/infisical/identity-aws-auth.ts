// infisical_identity_aws_auth: how an identity logs in with a signed STS GetCallerIdentity request.
// The allowed lists are kept split and trimmed, as Infisical stores them (comma-joined); an ARN may
// hold `*` wildcards, an account id is twelve digits.
import * as z from "zod";
import { defineInfisicalApplier } from "../../applier.ts";
import { tfString, tfStringList } from "../../attributes.ts";
import { splitList } from "../../../infisical/oidc-bindings.ts";
import { StoreError } from "../../../infisical/store.ts";
import { answeredTokenLimits, tokenLimitAttributes, tokenLimits } from "./shared.ts";

const defaultStsEndpoint = "https://sts.amazonaws.com/";

export const infisicalIdentityAwsAuthApplier = defineInfisicalApplier({
  type: "infisical_identity_aws_auth",
  attributes: z.object({
    identity_id: tfString,
    sts_endpoint: tfString.optional(),
    allowed_principal_arns: tfStringList.optional(),
    allowed_account_ids: tfStringList.optional(),
    ...tokenLimitAttributes,
  }),
  apply(attributes, store) {
    const stsEndpoint = attributes.sts_endpoint ?? defaultStsEndpoint;
    if (!URL.canParse(stsEndpoint)) throw new StoreError(`sts_endpoint "${stsEndpoint}" of identity ${attributes.identity_id} is not a URL; write for example ${defaultStsEndpoint}`);
    const allowedAccountIds = (attributes.allowed_account_ids ?? []).flatMap(splitList);
    const badAccount = allowedAccountIds.find((id) => !/^\d{12}$/.test(id));
    if (badAccount) throw new StoreError(`allowed_account_ids of identity ${attributes.identity_id} holds "${badAccount}", not a twelve-digit AWS account id; fix it`);
    const config = store.attachAwsAuth({
      identityId: attributes.identity_id,
      stsEndpoint,
      allowedPrincipalArns: (attributes.allowed_principal_arns ?? []).flatMap(splitList),
      allowedAccountIds,
      ...tokenLimits(attributes),
    });
    return { ...attributes, sts_endpoint: stsEndpoint, ...answeredTokenLimits(config) };
  },
});
