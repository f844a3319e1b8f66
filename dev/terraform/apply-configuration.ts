// Applying a configuration read by the Terraform reader (loaded by apply.ts on first use, so that
// the reader costs nothing to commands and starts that do not read Terraform).
import { randomBytes } from "node:crypto";
import { ConfigurationError, problemLine, type Problem } from "../../terraform/problems.ts";
import { loadConfiguration, type LoadedConfiguration } from "../../terraform/load.ts";
import { evaluateConfiguration, type OutputValue, type ResourceInstance } from "../../terraform/evaluate-configuration.ts";
import { EvaluationError, makeMap, onMissingAttribute, type Value, type ValueMap } from "../../terraform/expression/values.ts";
import { openState, unknownPath } from "../../terraform/states.ts";
import { randomState, randomTypes } from "../../terraform/random.ts";
import { applierFor } from "./appliers/index.ts";
import { checkConfiguration, readableAttributes, skippedReason } from "./check.ts";
import { ApplyProblem, TerraformError } from "./problems.ts";
import type { Applier, ApplyTargets } from "./applier.ts";
import { sensitiveOutput, type TerraformResult, type TerraformSource } from "./apply.ts";

export async function applyConfiguration(source: string | TerraformSource, targets: ApplyTargets): Promise<TerraformResult> {
  const request: TerraformSource = typeof source === "string" ? { paths: [source] } : source;
  let configuration: LoadedConfiguration;
  try {
    configuration = await loadConfiguration(request);
  } catch (error) {
    if (error instanceof ConfigurationError) throw new TerraformError(error.problems.map(problemLine));
    throw error;
  }
  const { problems, warnings } = await checkConfiguration(configuration, targets.vault);
  if (problems.length > 0) throw new TerraformError(problems.map(problemLine));

  let applied = 0;
  const result = await evaluateConfiguration(configuration, {
    async visit(instance) {
      const applier = applierFor(instance.kind, instance.type);
      if (!applier) return unappliedState(instance);
      try {
        const state = await applier.apply(knownBody(instance), targets);
        if (instance.kind === "resource") applied++;
        return closedState(instance, applier, state as ValueMap);
      } catch (error) {
        if (!(error instanceof ApplyProblem)) throw error;
        throw new TerraformError([problemLine({ file: instance.file, line: instance.line, address: instance.address, message: error.message })]);
      }
    },
  });
  // The checks read the same configuration the same way: a problem now is one only an apply shows.
  if (result.problems.length > 0) throw new TerraformError(result.problems.map(problemLine));
  const outputs = resolveOutputs(result.outputs);
  return {
    file: configuration.label,
    applied,
    outputs: Object.fromEntries(outputs.map(([output, value]) => [output.name, output.sensitive ? sensitiveOutput : value])),
    values: Object.fromEntries(outputs.map(([output, value]) => [output.name, value])),
    warnings: warnings.map(problemLine),
  };
}

function unappliedState(instance: ResourceInstance): ValueMap {
  if (instance.kind === "resource" && randomTypes.includes(instance.type)) {
    return randomState(instance.type, instance.address, instance.body, (count) => randomBytes(count));
  }
  return openState(instance, skippedReason(instance));
}

/** The body with every value known; an Unknown is an error that names both ends. */
function knownBody(instance: ResourceInstance): Record<string, unknown> {
  const found = unknownPath(instance.body, []);
  if (found) {
    const [path, unknown] = found;
    throw new ApplyProblem(`${path} refers to ${unknown.origin}, which is ${unknown.reason}; set the value here, or drop the reference`);
  }
  return instance.body as Record<string, unknown>;
}

/** An applied state: an attribute the type has but the state lacks is null; any other name is refused. */
function closedState(instance: ResourceInstance, applier: Applier, state: ValueMap): ValueMap {
  const readable = readableAttributes(applier);
  return onMissingAttribute(makeMap(Object.entries(state)), (key) => {
    if (readable.includes(key)) return null;
    throw new EvaluationError(`refers to ${instance.address}.${key}, but ${instance.type} has no attribute "${key}"; use one of: ${readable.join(", ")}`);
  });
}

function resolveOutputs(outputs: readonly OutputValue[]): [OutputValue, Value][] {
  const lines: string[] = [];
  const resolved: [OutputValue, Value][] = [];
  for (const output of outputs) {
    const found = unknownPath(output.value, []);
    if (found) {
      const problem: Problem = { file: output.file, line: output.line, address: `output "${output.name}"`, message: `${found[0]} refers to ${found[1].origin}, which is ${found[1].reason}` };
      lines.push(problemLine(problem));
    } else resolved.push([output, output.value]);
  }
  if (lines.length > 0) throw new TerraformError(lines);
  return resolved;
}
