// The access graph of a Terraform configuration: its Vault and Infisical resources together.
import type { AccessGraph } from "./graph.ts";
import { infisicalGraphFromTerraform } from "./infisical/from-terraform.ts";
import type { ResourceInstance } from "./resources.ts";
import { vaultGraphFromTerraform } from "./vault/from-terraform.ts";

export function graphFromTerraform(instances: readonly ResourceInstance[]): AccessGraph {
  const vault = vaultGraphFromTerraform(instances);
  const infisical = infisicalGraphFromTerraform(instances);
  return {
    roles: [...vault.roles, ...infisical.roles],
    policies: vault.policies,
    secretPaths: [...vault.secretPaths, ...infisical.secretPaths].sort(),
    problems: [...vault.problems, ...infisical.problems],
  };
}
