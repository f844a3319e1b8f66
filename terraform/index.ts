// The Terraform reader: a configuration read as Terraform reads it (HCL and JSON, variables and
// tfvars, locals, functions, for_each/count, dynamic blocks, modules) into resource instances
// with addresses and evaluated attributes. Used by `keybridge dev` (which applies the instances)
// and by plans and the access graph (which only read them, no backend and no Terraform binary).
import { evaluateConfiguration, type EvaluationResult } from "./evaluate-configuration.ts";
import { loadConfiguration, type LoadOptions } from "./load.ts";
import { openState } from "./states.ts";

export { loadConfiguration, type CommandLineInput, type LoadOptions, type LoadedConfiguration } from "./load.ts";
export {
  evaluateConfiguration,
  isReported,
  type EvaluationResult,
  type InstanceVisitor,
  type OutputValue,
  type ResourceInstance,
} from "./evaluate-configuration.ts";
export { ConfigurationError, problemLine, oneLine, type Problem } from "./problems.ts";
export { Unknown, findUnknown, type Value, type ValueMap } from "./expression/values.ts";
export { openState, skippedMessage } from "./states.ts";
export { randomSensitive, randomState, randomTypes, type RandomBytes } from "./random.ts";

/**
 * Reads a configuration without applying it: every instance's written attributes are known,
 * computed ones Unknown ("known only after apply"). What a plan or an access graph reads.
 */
export async function readTerraform(options: LoadOptions): Promise<EvaluationResult> {
  const configuration = await loadConfiguration(options);
  return evaluateConfiguration(configuration, { visit: async (instance) => openState(instance, "known only after apply") });
}
