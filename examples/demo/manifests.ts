// The demo's look at the operator manifests synth wrote beside cdk.tf.json: one line per
// Kubernetes resource, grouped by cluster (no values: manifests name paths, never secrets).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

interface Manifest {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: { readonly path?: string; readonly mount?: string; readonly kubernetes?: { readonly serviceAccount?: string } };
}

function describe(manifest: Manifest): string {
  const where = `${manifest.metadata.namespace}/${manifest.metadata.name}`;
  if (manifest.kind === "VaultAuth") return `${manifest.kind} ${where}: logs in at auth/${manifest.spec.mount} as service account ${manifest.spec.kubernetes?.serviceAccount}`;
  if (manifest.spec.path) return `${manifest.kind} ${where}: Secret from ${manifest.spec.mount}/${manifest.spec.path}`;
  return `${manifest.kind} ${where}`;
}

/** Lines for the demo; Infisical's manifests need the identity's ID, so Terraform writes them at apply. */
export function manifestSummary(stackDir: string): string[] {
  const directory = join(stackDir, "kubernetes");
  if (!existsSync(directory)) return ["no manifests at synth: on Infisical, Terraform writes kubernetes/<cluster>.yaml at apply (the InfisicalSecret needs the identity's ID)"];
  return readdirSync(directory).sort().flatMap((file) => [
    `kubernetes/${file}:`,
    ...parseAllDocuments(readFileSync(join(directory, file), "utf8")).map((document) => `  ${describe(document.toJS() as Manifest)}`),
  ]);
}
