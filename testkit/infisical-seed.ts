// Seeds values into the Infisical example for `keybridge dev` (the demo and the tests): synthesizes
// examples/ml-platform/infisical.ts in a child process (cdktf synthesizes once per process) and
// merges extra infisical_secret resources into a copy of its cdk.tf.json, since `keybridge dev
// --terraform` takes one file and synth never carries values. Extra resources refer to the
// synthesized ones by address, found here by slug and name.
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { keybridgeCommandLine } from "./keybridge-process.ts";

const root = fileURLToPath(new URL("../", import.meta.url));

export interface TerraformJson {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown; sensitive?: boolean }>;
  [key: string]: unknown;
}

/** Runs `keybridge synth examples/ml-platform/infisical.ts --out DIR`; answers the stack's cdk.tf.json. */
export async function synthInfisicalExample(out: string): Promise<string> {
  const { command, args } = keybridgeCommandLine(["synth", join(root, "examples", "ml-platform", "infisical.ts"), "--out", out]);
  await promisify(execFile)(command, args, { timeout: 60_000, cwd: root });
  return join(out, "stacks", "secrets", "cdk.tf.json");
}

export async function readTerraform(file: string): Promise<TerraformJson> {
  return JSON.parse(await readFile(file, "utf8")) as TerraformJson;
}

const ref = (address: string, attribute: string) => `\${${address}.${attribute}}`;

function find(document: TerraformJson, type: string, matches: (body: Record<string, unknown>) => boolean, what: string): string {
  const found = Object.entries(document.resource[type] ?? {}).find(([, body]) => matches(body));
  if (!found) throw new Error(`the synthesized file has no ${type} for ${what}`);
  return `${type}.${found[0]}`;
}

/** Addresses of the synthesized project, its environments and folders, for references. */
export function infisicalAddresses(document: TerraformJson, projectSlug: string) {
  const project = find(document, "infisical_project", (body) => body.slug === projectSlug, `project ${projectSlug}`);
  const environment = (slug: string) =>
    find(document, "infisical_project_environment", (body) => body.slug === slug && body.project_id === ref(project, "id"), `environment ${slug}`);
  const folder = (environmentSlug: string, name: string) =>
    find(
      document,
      "infisical_secret_folder",
      (body) => body.name === name && body.environment_slug === ref(environment(environmentSlug), "slug"),
      `folder ${environmentSlug}:/${name}`,
    );
  return { project, environment, folder, ref };
}

/** An infisical_secret in a synthesized folder, with references as Terraform would write them. */
export function seededSecret(
  document: TerraformJson,
  projectSlug: string,
  where: { environment: string; folder: string },
  name: string,
  value: string,
  options: { writeOnly?: boolean; metadata?: Record<string, string> } = {},
): Record<string, unknown> {
  const addresses = infisicalAddresses(document, projectSlug);
  return {
    workspace_id: ref(addresses.project, "id"),
    env_slug: ref(addresses.environment(where.environment), "slug"),
    folder_path: ref(addresses.folder(where.environment, where.folder), "path"),
    name,
    [options.writeOnly ? "value_wo" : "value"]: value,
    ...(options.metadata ? { metadata: options.metadata } : {}),
  };
}

/** The document with `extra` resources and outputs added (same type and name replaces). */
export function mergeTerraform(document: TerraformJson, extra: Partial<TerraformJson>): TerraformJson {
  const merged: TerraformJson = { ...document, resource: { ...document.resource }, output: { ...document.output } };
  for (const [type, named] of Object.entries(extra.resource ?? {})) merged.resource[type] = { ...merged.resource[type], ...named };
  Object.assign(merged.output!, extra.output ?? {});
  return merged;
}

export async function writeTerraform(file: string, document: TerraformJson): Promise<string> {
  await writeFile(file, JSON.stringify(document, null, 2));
  return file;
}
