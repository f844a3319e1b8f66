// Everything that can be known about a file before anything is applied: which types are
// supported, meta-arguments that cannot be honoured, attributes (unknown, missing, mistyped when
// written literally), references (resolvable, to existing resources and attributes, not leaking a
// sensitive value into a plain output), depends_on, the order, and what the running Vault must
// already have (an auth mount a data source reads). vault_* and infisical_* blocks may share a
// file. Every problem is one line; none is fatal alone, so a run shows them all.
import { trimSlashes, type Applier } from "./applier.ts";
import { applierFor } from "./appliers/index.ts";
import { describeIssues } from "./attributes.ts";
import type { TerraformBlock, TerraformDocument } from "./document.ts";
import { orderNodes } from "../../terraform/order.ts";
import { ApplyProblem } from "./problems.ts";
import { findReferences, isLiteral, referenceText } from "./references.ts";
import type { VaultApi } from "./vault-api.ts";

export interface CheckResult {
  /** The blocks in the order they can be applied; meaningful only when there are no problems. */
  readonly order: readonly TerraformBlock[];
  readonly problems: readonly string[];
}

const commonUnsupported: Readonly<Record<string, string>> = {
  namespace: "keybridge dev applies everything to the root namespace; remove namespace",
};

const metaProblems: Readonly<Record<string, string>> = {
  count: "count is not supported: keybridge dev applies each block once; declare one block per instance",
  for_each: "for_each is not supported: keybridge dev applies each block once; declare one block per instance",
  provisioner: "provisioners cannot run in keybridge dev; remove the provisioner blocks",
  connection: "connection blocks are not supported; remove them",
};

/** "a real Vault", "a real Infisical" or both, by the types' provider prefixes. */
function realBackends(blocks: readonly TerraformBlock[]): string {
  const infisical = blocks.some((block) => block.type.startsWith("infisical_"));
  const vault = blocks.some((block) => !block.type.startsWith("infisical_"));
  return infisical && vault ? "a real Vault or Infisical" : infisical ? "a real Infisical" : "a real Vault";
}

function unsupportedLine(blocks: readonly TerraformBlock[]): string | undefined {
  if (blocks.length === 0) return undefined;
  const listed = blocks.map((block) => `${block.address} (${block.kind === "data" ? "data source" : "type"} not supported)`);
  const one = blocks.length === 1;
  return `cannot apply ${blocks.length} resource${one ? "" : "s"}: ${listed.join(", ")}; remove ${one ? "it" : "them"} or apply ${one ? "it" : "them"} to ${realBackends(blocks)}`;
}

function attributeProblems(block: TerraformBlock, applier: Applier): string[] {
  const problems: string[] = [];
  const shape = applier.attributes.shape as Record<string, { safeParse(value: unknown): { success: boolean; error?: any } }>;
  const unsupported = { ...commonUnsupported, ...applier.unsupported };
  for (const [key, value] of Object.entries(block.body)) {
    if (unsupported[key]) problems.push(`attribute "${key}" is not supported: ${unsupported[key]}`);
    else if (!shape[key]) {
      problems.push(`unknown attribute "${key}" for ${applier.type}; remove it or check its spelling against the ${applier.backend} provider's docs`);
    } else if (isLiteral(value)) {
      const result = shape[key].safeParse(value);
      if (!result.success) problems.push(`${describeIssues(result.error, [key])}; fix its value`);
    }
  }
  for (const [key, field] of Object.entries(shape)) {
    if (!(key in block.body) && !field.safeParse(undefined).success) problems.push(`missing required attribute "${key}"; add it`);
  }
  for (const group of applier.exactlyOneOf) {
    const set = group.filter((key) => key in block.body);
    const names = group.map((key) => `"${key}"`).join(" or ");
    if (set.length === 0) problems.push(`missing ${names}; set one of them`);
    if (set.length > 1) {
      // A long group (the database engine blocks) is named by what is set, not by all it could be.
      problems.push(group.length === 2 ? `both ${names} are set; keep only one` : `${set.map((key) => `"${key}"`).join(" and ")} are all set; keep only one of them`);
    }
  }
  return problems;
}

function dependsOn(block: TerraformBlock, known: ReadonlyMap<string, TerraformBlock>): { needs: string[]; problems: string[] } {
  const raw = block.meta.depends_on;
  if (raw === undefined) return { needs: [], problems: [] };
  if (!Array.isArray(raw)) return { needs: [], problems: ["depends_on must be a list of addresses; write [\"type.name\", ...]"] };
  const needs: string[] = [];
  const problems: string[] = [];
  for (const entry of raw) {
    const address = typeof entry === "string" ? entry.replace(/^\$\{(.*)\}$/s, "$1").trim() : "";
    if (!/^(data\.)?[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*$/.test(address)) {
      problems.push(`depends_on entries must be addresses such as "vault_policy.ci"; fix the entry`);
    } else if (!known.has(address)) {
      problems.push(`depends_on names ${address}, which is not in the file; add it or remove the entry`);
    } else needs.push(address);
  }
  return { needs, problems };
}

/** Problems of the references in `value`, and the addresses they need. */
function referenceProblems(
  value: unknown,
  known: ReadonlyMap<string, TerraformBlock>,
  sensitiveAllowed: boolean,
): { needs: string[]; problems: string[] } {
  const { refs, bad } = findReferences(value);
  const problems = bad.map((entry) => `${entry.location || "value"} uses ${entry.source}, ${entry.reason}`);
  const needs: string[] = [];
  for (const { ref, location } of refs) {
    const where = location || "value";
    const target = known.get(ref.address);
    if (!target) {
      problems.push(`${where} refers to ${ref.address}, which is not in the file; add it or fix the reference`);
      continue;
    }
    needs.push(ref.address);
    const applier = applierFor(target.kind, target.type);
    if (!applier) continue;
    const attribute = String(ref.attribute[0]);
    const readable = [...Object.keys(applier.attributes.shape), ...applier.computed, "id"];
    if (!readable.includes(attribute)) {
      problems.push(`${where} refers to ${referenceText(ref)}, but ${target.type} has no attribute "${attribute}"; use one of: ${[...new Set(readable)].sort().join(", ")}`);
    } else if (!sensitiveAllowed && applier.sensitive.includes(attribute)) {
      problems.push(`${where} refers to ${referenceText(ref)}, which is sensitive; add "sensitive": true to the output`);
    }
  }
  return { needs, problems };
}

/** Auth paths the file's own resources enable (when written literally): a data source may read them. */
function declaredAuthPaths(blocks: readonly TerraformBlock[]): Set<string> {
  const paths = new Set<string>();
  for (const block of blocks) {
    if (block.kind !== "resource") continue;
    const path =
      block.type === "vault_auth_backend" ? (block.body.path ?? block.body.type)
      : block.type === "vault_jwt_auth_backend" ? (block.body.path ?? "jwt")
      : undefined;
    if (typeof path === "string" && isLiteral(path)) paths.add(trimSlashes(path));
  }
  return paths;
}

export async function checkDocument(document: TerraformDocument, vault: VaultApi): Promise<CheckResult> {
  const problems: string[] = [];
  const known = new Map(document.blocks.map((block) => [block.address, block]));
  const unsupported = document.blocks.filter((block) => !applierFor(block.kind, block.type));
  const summary = unsupportedLine(unsupported);
  if (summary) problems.push(summary);

  const nodes = document.blocks.map((block) => {
    const applier = applierFor(block.kind, block.type);
    const own: string[] = [];
    for (const [key, message] of Object.entries(metaProblems)) if (block.meta[key] !== undefined) own.push(message);
    const provider = block.meta.provider;
    const backend = applier?.backend ?? "vault";
    if (provider !== undefined && provider !== backend) {
      own.push(`provider ${JSON.stringify(provider)} cannot be honoured: keybridge dev is one ${backend === "vault" ? "Vault" : "Infisical"}; remove the provider argument`);
    }
    if (applier) own.push(...attributeProblems(block, applier));
    const references = referenceProblems(block.body, known, true);
    const depends = dependsOn(block, known);
    own.push(...references.problems, ...depends.problems);
    problems.push(...own.map((problem) => `${block.address}: ${problem}`));
    return { address: block.address, needs: [...references.needs, ...depends.needs] };
  });

  for (const output of document.outputs) {
    const references = referenceProblems(output.value, known, output.sensitive);
    problems.push(...references.problems.map((problem) => `output "${output.name}": ${problem}`));
  }

  const ordering = orderNodes(nodes);
  if ("cycle" in ordering) {
    problems.push(`dependency cycle: ${ordering.cycle.join(" → ")}; remove one of these references or depends_on entries`);
  }

  const declared = declaredAuthPaths(document.blocks);
  for (const block of document.blocks) {
    const applier = applierFor(block.kind, block.type);
    if (!applier?.precheck || !isLiteral(block.body)) continue;
    try {
      const problem = await applier.precheck(block.body, { vault, declaredAuthPaths: declared });
      if (problem) problems.push(`${block.address}: ${problem}`);
    } catch (error) {
      // A body that does not parse has been reported above.
      if (!(error instanceof ApplyProblem)) throw error;
    }
  }

  const order = "order" in ordering ? ordering.order.map((address) => known.get(address)!) : [];
  return { order, problems };
}
