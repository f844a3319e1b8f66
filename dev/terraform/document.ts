// A Terraform JSON file (cdktf's cdk.tf.json or a hand-written *.tf.json) read into resources, data
// sources and outputs by address. Blocks that cannot mean anything here (variables, locals,
// modules, imports) are problems; `terraform`, `provider` settings and "//" metadata are read
// past. Meta-arguments are taken out of each body so that only attributes remain.
import { readFile } from "node:fs/promises";
import * as z from "zod";
import { locationText, tfBool } from "./attributes.ts";
import { TerraformError } from "./problems.ts";

export interface TerraformBlock {
  /** "vault_mount.kv", "data.vault_auth_backend.sso". */
  readonly address: string;
  readonly kind: "resource" | "data";
  readonly type: string;
  readonly name: string;
  /** The attributes, without meta-arguments and "//" comments. */
  readonly body: Readonly<Record<string, unknown>>;
  /** Meta-arguments as written: depends_on, count, for_each, provider, provisioner, connection. */
  readonly meta: Readonly<Record<string, unknown>>;
}

export interface TerraformOutput {
  readonly name: string;
  readonly value: unknown;
  readonly sensitive: boolean;
}

export interface TerraformDocument {
  /** Data sources first, then resources, each in the file's order. */
  readonly blocks: readonly TerraformBlock[];
  readonly outputs: readonly TerraformOutput[];
}

const metaArguments = new Set(["depends_on", "count", "for_each", "provider", "provisioner", "connection"]);
// "id" is settable on every cdktf resource class but means nothing to Vault; "//" holds cdktf's
// metadata; lifecycle rules only matter for later plans, and a dev backend always starts empty.
const ignoredKeys = new Set(["//", "id", "lifecycle"]);

const body = z.record(z.string(), z.unknown(), { error: "must be an object of attributes" });
const section = z.record(z.string(), z.record(z.string(), body, { error: "must map names to objects of attributes" }), {
  error: "must map types to named blocks",
});
const outputBlock = z.looseObject({ value: z.unknown(), sensitive: tfBool.optional() }, { error: "must be an object with a value" });
const providerConfig = z.looseObject({ alias: z.string().optional(), namespace: z.unknown().optional() });

const documentShape = z.looseObject({
  resource: section.optional(),
  data: section.optional(),
  output: z.record(z.string(), outputBlock, { error: "must map names to output blocks" }).optional(),
  provider: z.record(z.string(), z.union([providerConfig, z.array(providerConfig)]), { error: "must map provider names to settings" }).optional(),
});

const knownTopLevel = new Set(["//", "terraform", "provider", "resource", "data", "output", "moved"]);
const refusedTopLevel: Readonly<Record<string, string>> = {
  variable: "variable blocks are not supported: keybridge dev cannot supply their values; write the values into the file (cdktf: no TerraformVariable)",
  locals: "locals are not supported: write each value where it is used (cdktf: no TerraformLocal)",
  module: "module blocks are not supported: apply the module's resources directly",
  import: "import blocks are not supported: keybridge dev starts empty, so declare the resources instead",
  check: "check blocks are not supported: remove them for keybridge dev",
  removed: "removed blocks are not supported: remove them for keybridge dev",
};

/** The file as JSON, or a TerraformError line that says what to do. */
export async function readTerraformJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "read error";
    throw new TerraformError([`${file}: cannot read the file (${code}); check the path and its permissions`]);
  }
  try {
    return JSON.parse(text);
  } catch {
    // The parser's message quotes the text, which may hold secret values: say only what to do.
    throw new TerraformError([`${file}: not valid JSON; pass Terraform JSON (cdktf.out/stacks/NAME/cdk.tf.json or a *.tf.json file)`]);
  }
}

export function parseDocument(json: unknown): { document: TerraformDocument; problems: string[] } {
  const problems: string[] = [];
  const empty = { document: { blocks: [], outputs: [] }, problems };
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    problems.push("the file must hold a JSON object with resource, data and output blocks");
    return empty;
  }
  for (const key of Object.keys(json)) {
    if (refusedTopLevel[key]) problems.push(refusedTopLevel[key]);
    else if (!knownTopLevel.has(key)) problems.push(`unknown top-level block "${key}"; remove it (known: ${[...knownTopLevel].join(", ")})`);
  }
  const parsed = documentShape.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    problems.push(`${locationText(issue.path)} ${issue.message.startsWith("must") ? issue.message : "has the wrong shape"}; fix the file's structure`);
    return empty;
  }
  const { resource = {}, data = {}, output = {}, provider = {} } = parsed.data;

  for (const [name, settings] of Object.entries(provider)) {
    for (const config of Array.isArray(settings) ? settings : [settings]) {
      if (name === "vault" && config.namespace !== undefined) {
        problems.push("provider vault sets namespace: keybridge dev applies everything to the root namespace; remove namespace");
      }
    }
  }

  const blocks: TerraformBlock[] = [];
  const collect = (kind: TerraformBlock["kind"], types: Record<string, Record<string, Record<string, unknown>>>) => {
    for (const [type, named] of Object.entries(types)) {
      for (const [name, raw] of Object.entries(named)) {
        const attributes: Record<string, unknown> = {};
        const meta: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(raw)) {
          // null is "not set" in Terraform.
          if (ignoredKeys.has(key) || value === null) continue;
          if (metaArguments.has(key)) meta[key] = value;
          else attributes[key] = value;
        }
        blocks.push({ address: `${kind === "data" ? "data." : ""}${type}.${name}`, kind, type, name, body: attributes, meta });
      }
    }
  };
  collect("data", data);
  collect("resource", resource);

  const outputs = Object.entries(output).map(([name, block]) => {
    if (!("value" in block)) problems.push(`output "${name}" has no value; add "value"`);
    return { name, value: block.value, sensitive: block.sensitive === true };
  });
  return { document: { blocks, outputs }, problems };
}
