// The shape of a Terraform function here: it takes evaluated arguments (never Unknown: the
// dispatcher answers Unknown before calling) and returns a value or throws an EvaluationError.
import { EvaluationError, type Value } from "../expression/values.ts";

export type TerraformFunction = (args: readonly Value[]) => Value;

export type FunctionTable = Readonly<Record<string, TerraformFunction>>;

/** The arguments, checked for count: `min` to `max` (default exactly `min`). */
export function args(name: string, values: readonly Value[], min: number, max = min): readonly Value[] {
  if (values.length < min || values.length > max) {
    const wanted = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new EvaluationError(`${name}() takes ${wanted} argument${wanted === "1" ? "" : "s"}, got ${values.length}`);
  }
  return values;
}
