// Where an access graph comes from: a policy document as synth writes it, or a Terraform
// configuration (directories or files of .tf/.tf.json). The Terraform reader is the caller's to
// load (client/ does not import it, and the Action loads it only in plan mode): it is passed in.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { graphFromDocument } from "../policy/access/from-document.ts";
import { graphFromTerraform } from "../policy/access/from-terraform.ts";
import type { AccessGraph } from "../policy/access/graph.ts";
import type { ResourceInstance } from "../policy/access/resources.ts";
import type { KeybridgeError } from "../policy/errors/keybridge-error.ts";
import { policyFileName, readPolicyFile } from "./policy-files.ts";

export type SourceKind = "document" | "terraform";

/** How a caller names the path in its errors (`--base`, `Input base`) and the error it throws. */
export interface SourceLabel {
  readonly label: string;
  readonly invalid: (message: string) => KeybridgeError;
}

export interface TerraformRead {
  readonly instances: readonly ResourceInstance[];
  readonly warnings: readonly string[];
  readonly problems: readonly string[];
}

export interface LoadedGraph {
  readonly graph: AccessGraph;
  readonly warnings: readonly string[];
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

export async function loadAccessGraph(from: string, source: SourceLabel, readTerraform: (path: string) => Promise<TerraformRead>): Promise<LoadedGraph> {
  if (sourceKind(from, source) === "document") return { graph: graphFromDocument(readPolicyFile(source.label, from).document), warnings: [] };
  const { instances, warnings, problems } = await readTerraform(from);
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problems)` : "";
    throw source.invalid(`${source.label} ${from}: ${problems[0]}${more}`);
  }
  return { graph: graphFromTerraform(instances), warnings };
}
