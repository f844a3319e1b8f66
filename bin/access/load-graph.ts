// Where `keybridge access` (and plans of any configuration) get their graph: a policy document
// as synth writes it, or a Terraform configuration read as Terraform reads it.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { readPolicyFile, policyFileName } from "../../client/policy-files.ts";
import { graphFromDocument } from "../../policy/access/from-document.ts";
import type { AccessGraph } from "../../policy/access/graph.ts";
import { graphFromTerraform } from "../../policy/access/from-terraform.ts";
import { ComputedValue, type ResourceInstance as AccessInstance } from "../../policy/access/resources.ts";
import type { Value } from "../../terraform/index.ts";
import type { CommandLineInput } from "../../terraform/load.ts";
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

export async function loadAccessGraph(from: string, terraform: TerraformInputs, flag = "--from"): Promise<LoadedGraph> {
  if (sourceKind(flag, from) === "document") return { graph: graphFromDocument(readPolicyFile(flag, from).document), warnings: [] };
  const { instances, warnings } = await readInstances(from, terraform, flag);
  return { graph: graphFromTerraform(instances), warnings };
}

/** The configuration through the Terraform reader (no backend): its instances as the graph reads them. */
async function readInstances(from: string, terraform: TerraformInputs, flag: string): Promise<{ instances: AccessInstance[]; warnings: string[] }> {
  const commandLine: CommandLineInput[] = [
    ...terraform.varFiles.map((path) => ({ kind: "var-file" as const, path })),
    ...terraform.vars.map((text) => {
      const equals = text.indexOf("=");
      if (equals <= 0) throw new UsageError('--var takes NAME=VALUE (the value given has no "=")');
      return { kind: "var" as const, name: text.slice(0, equals).trim(), text: text.slice(equals + 1) };
    }),
  ];
  // Loaded on first use: commands that read no Terraform do not pay for the reader.
  const { ConfigurationError, Unknown, problemLine, readTerraform } = await import("../../terraform/index.ts");
  let result;
  try {
    result = await readTerraform({ paths: [from], commandLine, environment: process.env });
  } catch (error) {
    if (error instanceof ConfigurationError) throw new UsageError(`${flag} ${error.problems.map(problemLine).join("; ")}`);
    throw error;
  }
  if (result.problems.length > 0) {
    const lines = result.problems.map(problemLine);
    throw new UsageError(`${flag} ${from}: ${lines[0]}${lines.length > 1 ? ` (and ${lines.length - 1} more problems)` : ""}`);
  }
  /** Reader values as the graph reads them: Unknown becomes ComputedValue, with the same origin. */
  const plain = (value: Value): unknown => {
    if (value instanceof Unknown) return new ComputedValue(value.origin);
    if (Array.isArray(value)) return value.map(plain);
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
    return value;
  };
  const instances = result.instances.map((instance) => ({
    mode: instance.kind === "data" ? ("data" as const) : ("managed" as const),
    type: instance.type,
    address: instance.address,
    attributes: plain(instance.body) as Record<string, unknown>,
  }));
  return { instances, warnings: result.warnings.map(problemLine) };
}
