// How loading a Terraform file fails: TerraformError carries one finished line per problem (the
// CLI prints each after "keybridge dev: "), ApplyProblem is one problem of one resource, raised
// while it is checked or applied and given its address by the caller.

export class TerraformError extends Error {
  constructor(readonly lines: readonly string[]) {
    super(lines.length === 1 ? lines[0] : `${lines[0]} (and ${lines.length - 1} more problems)`);
    this.name = "TerraformError";
  }
}

/** A problem without its address: "missing required attribute "user_claim"; add it". */
export class ApplyProblem extends Error {
  override readonly name = "ApplyProblem";
}
