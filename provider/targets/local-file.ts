// A file Terraform writes at apply time (hashicorp/local's `local_file`), for text that needs values
// only an apply knows, such as an Infisical identity's ID. Its content is computed at synth, when
// everything is declared; Terraform references inside it resolve at apply.
import { randomBytes } from "node:crypto";
import { Construct, TerraformProvider, TerraformResource, TerraformStack } from "../cdk.ts";

/** Stands for a Terraform reference (`${type.name.attribute}`) inside the text until the text's own template syntax is escaped. */
export type ReferenceMarker = (expression: string) => string;

const providerName = "local";
const terraformGeneratorMetadata = { providerName, providerVersionConstraint: "~> 2.5" };

export class LocalProvider extends TerraformProvider {
  constructor(scope: Construct, id: string) {
    super(scope, id, { terraformResourceType: providerName, terraformGeneratorMetadata, terraformProviderSource: "hashicorp/local" });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {};
  }
}

export class LocalFile extends TerraformResource {
  /** `path` is relative to the stack's directory (where cdk.tf.json is). */
  constructor(scope: Construct, id: string, private readonly path: string, private readonly content: (reference: ReferenceMarker) => string) {
    super(scope, id, { terraformResourceType: "local_file", terraformGeneratorMetadata });
    const stack = TerraformStack.of(scope);
    if (!stack.node.findAll().some((construct) => construct instanceof LocalProvider)) new LocalProvider(stack, "local");
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    // `${` and `%{` start Terraform templates: escape those of the text, then put our references in.
    // A marker carries a random nonce, so text a user wrote cannot pose as one.
    const nonce = randomBytes(8).toString("hex");
    const expressions: string[] = [];
    const text = this.content((expression) => `keybridge-reference-${nonce}-${expressions.push(expression) - 1}`);
    const content = text
      .replace(/([$%])\{/g, "$1$1{")
      .replace(new RegExp(`keybridge-reference-${nonce}-(\\d+)`, "g"), (_, index: string) => expressions[Number(index)]!);
    return { content, file_permission: "0644", filename: `\${path.module}/${this.path}` };
  }
}
