// data "vault_policy_document": ACL policy HCL from `rule` blocks, computed locally as the provider
// does. Parameter constraints are rendered too; the dev backend refuses them when the policy is
// written, rather than grant more than Vault would.
import { createHash } from "node:crypto";
import * as z from "zod";
import { defineApplier } from "../applier.ts";
import { tfBlocks, tfString, tfStringList } from "../attributes.ts";

const parameterBlock = z.object({ key: tfString, value: tfStringList });

const ruleBlock = z.object({
  path: tfString,
  capabilities: tfStringList,
  description: tfString.optional(),
  required_parameters: tfStringList.optional(),
  allowed_parameter: tfBlocks(parameterBlock).optional(),
  denied_parameter: tfBlocks(parameterBlock).optional(),
  min_wrapping_ttl: tfString.optional(),
  max_wrapping_ttl: tfString.optional(),
  subscribe_event_types: tfStringList.optional(),
});

type Rule = z.output<typeof ruleBlock>;

const list = (items: readonly string[]): string => `[${items.map((item) => JSON.stringify(item)).join(", ")}]`;

function parameters(name: string, blocks: readonly z.output<typeof parameterBlock>[]): string[] {
  return [`  ${name} = {`, ...blocks.map((block) => `    ${JSON.stringify(block.key)} = ${list(block.value)}`), "  }"];
}

export function policyHcl(rules: readonly Rule[]): string {
  return rules
    .map((rule) =>
      [
        ...(rule.description ? [`# ${rule.description}`] : []),
        `path ${JSON.stringify(rule.path)} {`,
        `  capabilities = ${list(rule.capabilities)}`,
        ...(rule.required_parameters ? [`  required_parameters = ${list(rule.required_parameters)}`] : []),
        ...(rule.allowed_parameter ? parameters("allowed_parameters", rule.allowed_parameter) : []),
        ...(rule.denied_parameter ? parameters("denied_parameters", rule.denied_parameter) : []),
        ...(rule.min_wrapping_ttl ? [`  min_wrapping_ttl = ${JSON.stringify(rule.min_wrapping_ttl)}`] : []),
        ...(rule.max_wrapping_ttl ? [`  max_wrapping_ttl = ${JSON.stringify(rule.max_wrapping_ttl)}`] : []),
        ...(rule.subscribe_event_types ? [`  subscribe_event_types = ${list(rule.subscribe_event_types)}`] : []),
        "}",
      ].join("\n"),
    )
    .join("\n\n")
    .concat("\n");
}

export const policyDocumentDataApplier = defineApplier({
  kind: "data",
  type: "vault_policy_document",
  attributes: z.object({ rule: tfBlocks(ruleBlock) }),
  computed: ["hcl"],
  async apply(attributes) {
    const hcl = policyHcl(attributes.rule);
    return { ...attributes, hcl, id: createHash("sha256").update(hcl).digest("hex").slice(0, 16) };
  },
});
