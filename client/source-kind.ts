// Whether a path given to a plan or the access graph is a policy document or a Terraform
// configuration, by file names alone: cheap enough for a command's start, apart from the graph
// builders that only the Terraform path needs.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { policyFileName } from "./policy-files.ts";
import type { KeybridgeError } from "../policy/errors/keybridge-error.ts";

export type SourceKind = "document" | "terraform";

/** How a caller names the path in its errors (`--base`, `Input base`) and the error it throws. */
export interface SourceLabel {
  readonly label: string;
  readonly invalid: (message: string) => KeybridgeError;
}

const isTerraformFile = (name: string) => name.endsWith(".tf") || (name.endsWith(".tf.json") && name !== "cdk.tf.json");

/** A policy document wins where there is one: it says more (environments, protection) than the Terraform it came from. */
function kindOf(from: string): SourceKind | undefined {
  // A file is Terraform by its name, else a policy document (whose reader says what is wrong with it).
  if (!statSync(from).isDirectory()) return isTerraformFile(from) ? "terraform" : "document";
  if (existsSync(join(from, policyFileName)) || existsSync(join(from, "stacks"))) return "document";
  return readdirSync(from).some(isTerraformFile) ? "terraform" : undefined;
}

export function sourceKind(from: string, { label, invalid }: SourceLabel): SourceKind {
  if (!existsSync(from)) throw invalid(`${label} ${from} does not exist; give a policy document, a synth output directory or a Terraform directory`);
  const kind = kindOf(from);
  if (kind === undefined) throw invalid(`${label} ${from} holds no ${policyFileName} and no .tf or .tf.json file`);
  return kind;
}

/** Whether a path is a Terraform configuration (and no policy document); false where it is missing. */
export const isTerraformSource = (from: string): boolean => existsSync(from) && kindOf(from) === "terraform";

