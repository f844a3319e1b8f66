// `keybridge dev --terraform FILE`: read the file, check all of it, then apply its resources in
// dependency order (vault_* through the Vault API, infisical_* into the Infisical store), the way
// `terraform apply` configures the real backends, and resolve its outputs. Nothing is applied
// unless every block passes the checks; a failure while applying stops at that resource. Every
// failure is a TerraformError of one-line problems.
import { applierFor } from "./appliers/index.ts";
import { checkDocument } from "./check.ts";
import { parseDocument, readTerraformJson, type TerraformOutput } from "./document.ts";
import { ApplyProblem, TerraformError } from "./problems.ts";
import { resolveValue, type Lookup } from "./references.ts";
import type { ApplyTargets } from "./applier.ts";

export interface TerraformResult {
  readonly file: string;
  /** Resources applied (data sources are read, not counted). */
  readonly applied: number;
  /** Output values with references resolved; sensitive ones as "(sensitive)". */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** The same with sensitive values too (`terraform output -json`): for in-process callers, never printed. */
  readonly values: Readonly<Record<string, unknown>>;
}

export const sensitiveOutput = "(sensitive)";

function stateLookup(states: ReadonlyMap<string, Record<string, unknown>>): Lookup {
  return (ref) => {
    let current: unknown = states.get(ref.address);
    for (const step of ref.attribute) {
      if (typeof current !== "object" || current === null) return undefined;
      current = (current as Record<string | number, unknown>)[step];
    }
    return current;
  };
}

function resolveOutputs(outputs: readonly TerraformOutput[], lookup: Lookup, showSensitive: boolean): Record<string, unknown> {
  const resolved: Record<string, unknown> = {};
  for (const output of outputs) {
    try {
      resolved[output.name] = output.sensitive && !showSensitive ? sensitiveOutput : resolveValue(output.value, lookup);
    } catch (error) {
      if (error instanceof ApplyProblem) throw new ApplyProblem(`output "${output.name}": ${error.message}`);
      throw error;
    }
  }
  return resolved;
}

export async function applyTerraformFile(file: string, targets: ApplyTargets): Promise<TerraformResult> {
  const { document, problems: shapeProblems } = parseDocument(await readTerraformJson(file));
  const { order, problems } = await checkDocument(document, targets.vault);
  const all = [...shapeProblems, ...problems];
  if (all.length > 0) throw new TerraformError(all.map((problem) => `${file}: ${problem}`));

  const states = new Map<string, Record<string, unknown>>();
  const lookup = stateLookup(states);
  let applied = 0;
  for (const block of order) {
    const applier = applierFor(block.kind, block.type)!;
    try {
      const body = resolveValue(block.body, lookup) as Record<string, unknown>;
      states.set(block.address, await applier.apply(body, targets));
    } catch (error) {
      if (!(error instanceof ApplyProblem)) throw error;
      throw new TerraformError([`${file}: ${block.address}: ${error.message}`]);
    }
    if (block.kind === "resource") applied++;
  }
  try {
    return { file, applied, outputs: resolveOutputs(document.outputs, lookup, false), values: resolveOutputs(document.outputs, lookup, true) };
  } catch (error) {
    if (error instanceof ApplyProblem) throw new TerraformError([`${file}: ${error.message}`]);
    throw error;
  }
}
