// Text that synth writes outside Terraform (the operator manifests) cannot hold a Terraform
// reference. A reference (`${type.name.attribute}`, as VaultResource.ref() writes it) to an
// attribute that the referenced resource of this stack sets as plain text (a mount's `path`) has
// that text as its value, so it can be written at synth.
import type { TerraformStack } from "../cdk.ts";

const reference = /^\$\{([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)\}$/;

type TerraformJson = { resource?: Record<string, Record<string, Record<string, unknown>>> };

/** The value as text: itself when plain, the referenced attribute when this stack sets it as text. */
export function literalValue(stack: TerraformStack, value: string): string | undefined {
  if (!value.includes("${") && !value.includes("TfToken[")) return value;
  const [, type, name, attribute] = reference.exec(value) ?? [];
  if (!type || !name || !attribute) return undefined;
  // The whole stack, resolved: only paid for a reference, which is rare here.
  const text = (stack.toTerraform() as TerraformJson).resource?.[type]?.[name]?.[attribute];
  return typeof text === "string" && !text.includes("${") ? text : undefined;
}
