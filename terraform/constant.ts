// Evaluating an expression that may not refer to anything (a tfvars value, a -var value, an
// optional() default): functions work, references are an error, as in Terraform.
import { evaluate, type Scope } from "./expression/evaluate.ts";
import type { Expression } from "./expression/syntax.ts";
import type { Value } from "./expression/values.ts";
import { functionCaller } from "./functions/index.ts";

export function constantEvaluator(): (expression: Expression) => Value {
  const callFunction = functionCaller({ readText: () => undefined, exists: () => false });
  const scope: Scope = {
    variable: () => undefined,
    local: () => undefined,
    module: () => undefined,
    resource: () => undefined,
    special: () => undefined,
    callFunction,
  };
  return (expression) => evaluate(expression, scope);
}
