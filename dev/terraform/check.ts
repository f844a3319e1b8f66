// Everything that can be known about a configuration before anything is applied, read through
// the Terraform reader with every instance "planned": which types this backend can apply (other
// providers' resources are skipped with a warning; random_* are emulated), meta-arguments that
// cannot be honoured, attributes (unknown, refused with the reason, missing, mistyped where known
// before apply), a plain output that would show a sensitive attribute, and what the running
// Vault must already have (an auth mount a data source reads). Every problem is one line; none
// is fatal alone, so a run shows them all.
import {
  EvaluationError,
  Unknown,
  findUnknown,
  makeMap,
  onMissingAttribute,
  type ValueMap,
} from "../../terraform/expression/values.ts";
import { findReferences } from "../../terraform/expression/references.ts";
import { templateOf } from "../../terraform/body.ts";
import type { LoadedConfiguration } from "../../terraform/load.ts";
import { evaluateConfiguration, type ResourceInstance } from "../../terraform/evaluate-configuration.ts";
import { openState, skippedMessage, unknownPath } from "../../terraform/states.ts";
import { reportedReason } from "../../terraform/body.ts";
import { tuneAttribute, tuneFindings } from "./appliers/tune.ts";
import { randomSensitive, randomState, randomTypes } from "../../terraform/random.ts";
import type { Problem } from "../../terraform/problems.ts";
import { trimSlashes, type Applier } from "./applier.ts";
import { applierFor } from "./appliers/index.ts";
import { describeIssues } from "./attributes.ts";
import { ApplyProblem } from "./problems.ts";
import type { VaultApi } from "./vault-api.ts";

const afterApply = "known only after apply";

export interface CheckResult {
  readonly problems: readonly Problem[];
  readonly warnings: readonly Problem[];
}

const commonUnsupported: Readonly<Record<string, string>> = {
  namespace: "keybridge dev applies everything to the root namespace; remove namespace",
};

/** Whose types these are: a vault_ or infisical_ type this backend lacks is refused, others skipped. */
export function isBackendType(type: string): boolean {
  return type.startsWith("vault_") || type.startsWith("infisical_");
}

export const skippedReason = (instance: ResourceInstance) =>
  `unknown to keybridge dev: ${instance.type} belongs to the ${instance.type.split("_")[0]} provider, which it skips`;

/** An attribute name readable on an applier's resources: its arguments, computed attributes and id. */
export function readableAttributes(applier: Applier): string[] {
  return [...new Set([...Object.keys(applier.attributes.shape), ...applier.computed, "id"])].sort();
}

/** A planned state: written attributes known; the others the type has read as Unknown; any other name is refused. */
function plannedState(instance: ResourceInstance, applier: Applier): ValueMap {
  const readable = readableAttributes(applier);
  const state = makeMap(Object.entries(instance.body));
  return onMissingAttribute(state, (key) => {
    if (readable.includes(key)) return new Unknown(`${instance.address}.${key}`, afterApply);
    throw new EvaluationError(`refers to ${instance.address}.${key}, but ${instance.type} has no attribute "${key}"; use one of: ${readable.join(", ")}`);
  });
}

function attributeProblems(instance: ResourceInstance, applier: Applier): { attribute?: string; message: string }[] {
  const problems: { attribute?: string; message: string }[] = [];
  const shape = applier.attributes.shape as Record<string, { safeParse(value: unknown): { success: boolean; error?: any } }>;
  const unsupported = { ...commonUnsupported, ...applier.unsupported };
  for (const [key, value] of Object.entries(instance.body)) {
    if (unsupported[key]) problems.push({ message: `attribute "${key}" is not supported: ${unsupported[key]}` });
    else if (!shape[key]) {
      problems.push({ message: `unknown attribute "${key}" for ${applier.type}; remove it or check its spelling against the ${applier.backend} provider's docs` });
    } else if (findUnknown(value) === undefined) {
      const result = shape[key].safeParse(value);
      if (!result.success) problems.push({ message: `${describeIssues(result.error, [key])}; fix its value` });
    }
  }
  for (const [key, field] of Object.entries(shape)) {
    if (!(key in instance.body) && !field.safeParse(undefined).success) problems.push({ message: `missing required attribute "${key}"; add it` });
  }
  for (const group of applier.exactlyOneOf) {
    const set = group.filter((key) => key in instance.body);
    const names = group.map((key) => `"${key}"`).join(" or ");
    if (set.length === 0) problems.push({ message: `missing ${names}; set one of them` });
    if (set.length > 1) {
      problems.push({ message: group.length === 2 ? `both ${names} are set; keep only one` : `${set.map((key) => `"${key}"`).join(" and ")} are all set; keep only one of them` });
    }
  }
  return problems;
}

function metaProblems(instance: ResourceInstance, applier: Applier | undefined): string[] {
  const problems: string[] = [];
  if (instance.provisioners) problems.push("provisioners and connection blocks cannot run in keybridge dev; remove them");
  const backend = applier?.backend ?? "vault";
  if (instance.provider !== undefined && instance.provider !== backend) {
    problems.push(`provider ${JSON.stringify(instance.provider)} cannot be honoured: keybridge dev is one ${backend === "vault" ? "Vault" : "Infisical"}; remove the provider argument`);
  }
  return problems;
}

/** "a real Vault", "a real Infisical" or both, by the types' provider prefixes. */
function realBackends(instances: readonly ResourceInstance[]): string {
  const infisical = instances.some((instance) => instance.type.startsWith("infisical_"));
  const vault = instances.some((instance) => !instance.type.startsWith("infisical_"));
  return infisical && vault ? "a real Vault or Infisical" : infisical ? "a real Infisical" : "a real Vault";
}

function unsupportedLine(file: string, instances: readonly ResourceInstance[]): Problem | undefined {
  if (instances.length === 0) return undefined;
  const listed = instances.map((instance) => `${instance.address} (${instance.kind === "data" ? "data source" : "type"} not supported)`);
  const one = instances.length === 1;
  return {
    file,
    message: `cannot apply ${instances.length} resource${one ? "" : "s"}: ${listed.join(", ")}; remove ${one ? "it" : "them"} or apply ${one ? "it" : "them"} to ${realBackends(instances)}`,
  };
}

/** Auth paths the configuration's own resources enable (when known before apply): a data source may read them. */
function declaredAuthPaths(instances: readonly ResourceInstance[]): Set<string> {
  const paths = new Set<string>();
  for (const instance of instances) {
    if (instance.kind !== "resource") continue;
    const body = instance.body;
    const path =
      instance.type === "vault_auth_backend" ? (body.path ?? body.type)
      : instance.type === "vault_jwt_auth_backend" ? (body.path ?? "jwt")
      : undefined;
    if (typeof path === "string") paths.add(trimSlashes(path));
  }
  return paths;
}

/** Root outputs without `sensitive` that read a sensitive attribute, as Terraform refuses them. */
function sensitiveOutputProblems(configuration: LoadedConfiguration): Problem[] {
  const problems: Problem[] = [];
  for (const output of configuration.root.outputs) {
    if (output.body.sensitive === true || output.body.sensitive === "true") continue;
    for (const text of strings(output.body.value)) {
      let references;
      try {
        references = findReferences(templateOf(text));
      } catch {
        continue;
      }
      for (const reference of references) {
        if (reference.kind !== "resource" && reference.kind !== "data") continue;
        if (reference.attribute === undefined) continue;
        const applier = applierFor(reference.kind, reference.type);
        const sensitive = applier?.sensitive ?? (reference.kind === "resource" ? randomSensitive[reference.type] : undefined) ?? [];
        if (!sensitive.includes(reference.attribute)) continue;
        const address = `${reference.kind === "data" ? "data." : ""}${reference.type}.${reference.name}.${reference.attribute}`;
        problems.push({
          file: output.file,
          line: output.line,
          address: `output "${output.name}"`,
          message: `value refers to ${address}, which is sensitive; add "sensitive": true to the output`,
        });
      }
    }
  }
  return problems;
}

function strings(raw: unknown): string[] {
  if (typeof raw === "string") return [raw];
  if (Array.isArray(raw)) return raw.flatMap(strings);
  if (typeof raw === "object" && raw !== null) return Object.values(raw).flatMap(strings);
  return [];
}

export async function checkConfiguration(configuration: LoadedConfiguration, vault: VaultApi): Promise<CheckResult> {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const unsupported: ResourceInstance[] = [];
  const toPrecheck: { instance: ResourceInstance; applier: Applier }[] = [];
  const located = (instance: ResourceInstance) => ({ file: instance.file, line: instance.line, address: instance.address });

  const result = await evaluateConfiguration(configuration, {
    async visit(instance) {
      const applier = applierFor(instance.kind, instance.type);
      for (const message of metaProblems(instance, applier)) problems.push({ ...located(instance), message });
      if (applier) {
        for (const problem of attributeProblems(instance, applier)) problems.push({ ...located(instance), ...problem });
        const skipped = unknownPath(instance.body, [], (unknown) => unknown.reason !== afterApply && unknown.reason !== reportedReason);
        if (skipped) {
          const [path, unknown] = skipped;
          problems.push({ ...located(instance), attribute: path, message: `refers to ${unknown.origin}, which is ${unknown.reason}; set the value here instead` });
        }
        const tune = findUnknown(instance.body.tune ?? null) === undefined ? tuneAttribute.safeParse(instance.body.tune) : undefined;
        if (tune?.success) {
          const findings = tuneFindings(tune.data);
          for (const message of findings.problems) problems.push({ ...located(instance), message });
          for (const message of findings.warnings) warnings.push({ ...located(instance), message });
        }
        if (findUnknown(instance.body) === undefined) toPrecheck.push({ instance, applier });
        return plannedState(instance, applier);
      }
      if (instance.kind === "resource" && randomTypes.includes(instance.type)) {
        try {
          randomState(instance.type, instance.address, instance.body, (count) => new Uint8Array(count));
        } catch (error) {
          if (!(error instanceof EvaluationError)) throw error;
          problems.push({ ...located(instance), message: error.message });
        }
        return openState(instance, afterApply);
      }
      if (isBackendType(instance.type)) {
        unsupported.push(instance);
        return openState(instance, "not applied");
      }
      warnings.push({ ...located(instance), message: skippedMessage(instance) });
      return openState(instance, skippedReason(instance));
    },
  });
  const summary = unsupportedLine(configuration.label, unsupported);
  // The reader's problems first (syntax, variables, references), as the file reads top to bottom.
  const all = [...result.problems, ...(summary ? [summary] : []), ...problems, ...sensitiveOutputProblems(configuration)];

  const declared = declaredAuthPaths(result.instances);
  for (const { instance, applier } of toPrecheck) {
    if (!applier.precheck) continue;
    try {
      const problem = await applier.precheck(instance.body, { vault, declaredAuthPaths: declared });
      if (problem) all.push({ ...located(instance), message: problem });
    } catch (error) {
      // A body that does not parse has been reported above.
      if (!(error instanceof ApplyProblem)) throw error;
    }
  }
  return { problems: all.filter((problem, index) => !all.slice(0, index).some((other) => sameProblem(other, problem))), warnings: [...result.warnings, ...warnings] };
}

function sameProblem(a: Problem, b: Problem): boolean {
  return a.file === b.file && a.address === b.address && a.attribute === b.attribute && a.message === b.message;
}
