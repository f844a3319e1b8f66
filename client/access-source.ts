// Where an access graph comes from: a policy document as synth writes it, or a Terraform
// configuration (directories or files of .tf/.tf.json). The Terraform reader is the caller's to
// load (client/ does not import it, and the Action loads it only in plan mode): it is passed in.
import { graphFromDocument } from "../policy/access/from-document.ts";
import { graphFromTerraform } from "../policy/access/from-terraform.ts";
import type { AccessGraph } from "../policy/access/graph.ts";
import type { ResourceInstance } from "../policy/access/resources.ts";
import { readPolicyFile } from "./policy-files.ts";
import { sourceKind, type SourceLabel } from "./source-kind.ts";

export { isTerraformSource, sourceKind, type SourceKind, type SourceLabel } from "./source-kind.ts";

export interface TerraformRead {
  readonly instances: readonly ResourceInstance[];
  readonly warnings: readonly string[];
  readonly problems: readonly string[];
}

export interface LoadedGraph {
  readonly graph: AccessGraph;
  readonly warnings: readonly string[];
}

export async function loadAccessGraph(from: string, source: SourceLabel, readTerraform: (path: string) => Promise<TerraformRead>): Promise<LoadedGraph> {
  if (sourceKind(from, source) === "document") return { graph: graphFromDocument(readPolicyFile(source.label, from).document), warnings: [] };
  const { instances, warnings, problems } = await readTerraform(from);
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problems)` : "";
    throw source.invalid(`${source.label} ${from}: ${problems[0]}${more}`);
  }
  return { graph: graphFromTerraform(instances), warnings };
}
