// How loading a Terraform file fails: TerraformError carries one finished line per problem (the
// CLI prints each after "keybridge dev: "), ApplyProblem is one problem of one resource, raised
// while it is checked or applied and given its address by the caller.
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";

export class TerraformError extends KeybridgeError {
  constructor(readonly lines: readonly string[]) {
    super("KB_DEV_TERRAFORM_INVALID", lines.length === 1 ? lines[0]! : `${lines[0]} (and ${lines.length - 1} more problems)`);
    this.name = "TerraformError";
  }
}

/** A problem without its address: "missing required attribute "user_claim"; add it". */
export class ApplyProblem extends KeybridgeError {
  override readonly name = "ApplyProblem";

  constructor(message: string, options?: ErrorOptions) {
    super("KB_DEV_TERRAFORM_INVALID", message, options);
  }
}
