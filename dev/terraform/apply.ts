// `keybridge dev --terraform PATH`: read the configuration with the Terraform reader, check all of
// it, then apply its instances in dependency order (vault_* through the Vault API, infisical_*
// into the Infisical store, random_* emulated, other providers' resources skipped), the way
// `terraform apply` configures the real backends, and resolve its outputs. Nothing is applied
// unless every instance passes the checks; a failure while applying stops at that instance.
// Every failure is a TerraformError of one-line problems.
import type { LoadOptions } from "../../terraform/load.ts";
import type { ApplyTargets } from "./applier.ts";

/** What to read: paths (directories, files) and the variable inputs, as `terraform apply` takes them. */
export type TerraformSource = LoadOptions;

export interface TerraformResult {
  /** The paths as given. */
  readonly file: string;
  /** Resources applied (data sources are read, not counted; skipped ones neither). */
  readonly applied: number;
  /** Output values; sensitive ones as "(sensitive)". */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** The same with sensitive values too (`terraform output -json`): for in-process callers, never printed. */
  readonly values: Readonly<Record<string, unknown>>;
  /** One line each: other providers' resources skipped, tfvars values nobody declared. */
  readonly warnings: readonly string[];
}

export const sensitiveOutput = "(sensitive)";

export async function applyTerraformFile(source: string | TerraformSource, targets: ApplyTargets): Promise<TerraformResult> {
  const { applyConfiguration } = await import("./apply-configuration.ts");
  return applyConfiguration(source, targets);
}
