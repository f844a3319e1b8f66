// A configuration's resource instances as the access graph reads them (policy/access/resources.ts):
// read without a backend, values known only after apply kept as a ComputedValue with the same
// origin. Shared by `keybridge access`/`check`/`plan` and the Action's plan mode, which load this
// module only when a configuration is Terraform.
import { ComputedValue, type ResourceInstance as AccessInstance } from "../policy/access/resources.ts";
import { Unknown, type Value } from "./expression/values.ts";
import type { CommandLineInput } from "./load.ts";
import { ConfigurationError, problemLine } from "./problems.ts";
import { readTerraform } from "./index.ts";

export interface AccessInstances {
  readonly instances: readonly AccessInstance[];
  readonly warnings: readonly string[];
  /** One line per problem that stops the read (syntax, a missing variable); empty when it read. */
  readonly problems: readonly string[];
}

/** Reader values as the graph reads them: Unknown becomes ComputedValue, with the same origin. */
function plain(value: Value): unknown {
  if (value instanceof Unknown) return new ComputedValue(value.origin);
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
  return value;
}

export async function readAccessInstances(path: string, commandLine: readonly CommandLineInput[], environment: Readonly<Record<string, string | undefined>>): Promise<AccessInstances> {
  let result;
  try {
    result = await readTerraform({ paths: [path], commandLine, environment });
  } catch (error) {
    if (error instanceof ConfigurationError) return { instances: [], warnings: [], problems: error.problems.map(problemLine) };
    throw error;
  }
  const instances = result.instances.map((instance) => ({
    mode: instance.kind === "data" ? ("data" as const) : ("managed" as const),
    type: instance.type,
    address: instance.address,
    attributes: plain(instance.body) as Record<string, unknown>,
  }));
  return { instances, warnings: result.warnings.map(problemLine), problems: result.problems.map(problemLine) };
}
