// Where `keybridge access` (and plans of any configuration) get their graph: a policy document
// as synth writes it, or a Terraform configuration read as Terraform reads it.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { readPolicyFile, policyFileName } from "../../client/policy-files.ts";
import { graphFromDocument } from "../../policy/access/from-document.ts";
import type { AccessGraph } from "../../policy/access/graph.ts";
import { UsageError } from "../usage-error.ts";

export interface TerraformInputs {
  readonly vars: readonly string[];
  readonly varFiles: readonly string[];
}

export interface LoadedGraph {
  readonly graph: AccessGraph;
  readonly warnings: readonly string[];
}

const isTerraformFile = (name: string) => name.endsWith(".tf") || (name.endsWith(".tf.json") && name !== "cdk.tf.json");

export type SourceKind = "document" | "terraform";

/** A policy document wins where there is one: it says more (environments, protection) than the Terraform it came from. */
export function sourceKind(flag: string, from: string): SourceKind {
  if (!existsSync(from)) throw new UsageError(`${flag} ${from} does not exist; give a policy document, a synth output directory or a Terraform directory`);
  const directory = statSync(from).isDirectory();
  const hasDocument = directory ? existsSync(join(from, policyFileName)) || existsSync(join(from, "stacks")) : from.endsWith(".json") && !isTerraformFile(from);
  if (hasDocument) return "document";
  if (directory ? readdirSync(from).some(isTerraformFile) : isTerraformFile(from)) return "terraform";
  throw new UsageError(`${flag} ${from} holds no ${policyFileName} and no .tf or .tf.json file`);
}

export async function loadAccessGraph(from: string, _terraform: TerraformInputs, flag = "--from"): Promise<LoadedGraph> {
  if (sourceKind(flag, from) === "document") return { graph: graphFromDocument(readPolicyFile(flag, from).document), warnings: [] };
  throw new UsageError(`${flag} ${from}: reading Terraform configurations needs the Terraform reader, which this build does not have yet`);
}
