// Evaluating an expression that may not refer to anything (a tfvars value, a -var value, an
// optional() default): functions work, references are an error, as in Terraform.
import { evaluate, functionsOnlyScope } from "./expression/evaluate.ts";
import type { Expression } from "./expression/syntax.ts";
import type { Value } from "./expression/values.ts";
import { functionCaller } from "./functions/index.ts";

export function constantEvaluator(): (expression: Expression) => Value {
  const scope = functionsOnlyScope(functionCaller({ readText: () => undefined, exists: () => false, listFiles: () => undefined }));
  return (expression) => evaluate(expression, scope);
}
