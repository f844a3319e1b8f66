// The inputs of plan mode: which two policy documents (or Terraform configurations) to compare, an optional Terraform plan,
// when to fail, and where to comment.
import * as z from "zod/mini";
import { levels, type Level } from "../../policy/risk/level.ts";
import { boolean, InputProblem, oneOf, optionalText, parsedAs, readInputs } from "../input-parsers.ts";

export type FailOn = Level | "never";

export interface PlanInputs {
  readonly base: string;
  readonly head: string;
  readonly terraformPlan: string | undefined;
  readonly failOn: FailOn;
  readonly githubToken: string | undefined;
  readonly comment: boolean;
  /** Keys the sticky comment; defaults to the head document's stack. */
  readonly stack: string | undefined;
}

const names = ["base", "head", "terraform-plan", "fail-on", "github-token", "comment", "stack"] as const;

const requiredPath = (example: string) =>
  parsedAs((text) => {
    if (text === "") throw new InputProblem("is empty", `give a keybridge.policy.json, its stack directory, the synth output directory or a Terraform directory, for example ${example}`);
    return text;
  });

const schema = z.object({
  base: requiredPath("base/cdktf.out (or none when the pull request adds the first policy)"),
  head: requiredPath("cdktf.out"),
  "terraform-plan": optionalText,
  "fail-on": oneOf([...levels, "never"] as const),
  "github-token": optionalText,
  comment: boolean,
  stack: optionalText,
});

export function readPlanInputs(): PlanInputs {
  const input = readInputs(schema, names, new Set(["github-token"]));
  return {
    base: input.base,
    head: input.head,
    terraformPlan: input["terraform-plan"],
    failOn: input["fail-on"],
    githubToken: input["github-token"],
    comment: input.comment,
    stack: input.stack,
  };
}
