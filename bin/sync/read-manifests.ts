// Reads operator manifests as kubectl would take them: a file, or every .yaml/.yml/.json file of a
// directory (sorted, not recursive), each a stream of YAML documents. Documents that are not
// Kubernetes objects of the operators' groups are skipped (Secrets, ServiceAccounts, anything
// else); an object of those groups must be well-formed. Key order and extra metadata (labels,
// annotations) never matter.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { ManifestError, where, type Origin } from "./manifest-error.ts";

export const operatorGroups = ["secrets.hashicorp.com", "secrets.infisical.com"] as const;

/** One object of an operator's group, as written, with where it came from. */
export interface ManifestObject {
  readonly origin: Origin;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | undefined;
  /** The object's spec as parsed (checked later, per kind). */
  readonly spec: unknown;
}

/** The documents' size cap: a manifest set is small; anything bigger is a mistake. */
const maxFileBytes = 4 * 1024 * 1024;

export function manifestFiles(path: string): string[] {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    throw new ManifestError(`${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"}): give the synthesized manifests' directory or file with --manifests`);
  }
  if (!stats.isDirectory()) return [path];
  const files = readdirSync(path).filter((name) => /\.(ya?ml|json)$/i.test(name)).sort().map((name) => join(path, name));
  if (files.length === 0) throw new ManifestError(`${path} holds no .yaml, .yml or .json file: give the directory the operator manifests were written to`);
  return files;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The object of one document, undefined when it is not one of the operators'. */
function operatorObject(value: unknown, origin: Origin): ManifestObject | undefined {
  if (!isRecord(value) || typeof value.apiVersion !== "string") return undefined;
  const group = value.apiVersion.split("/")[0] ?? "";
  if (!(operatorGroups as readonly string[]).includes(group)) return undefined;
  const at = where(origin);
  if (typeof value.kind !== "string" || value.kind === "") throw new ManifestError(`${at}: ${value.apiVersion} object: kind is missing; give the operator's kind (VaultStaticSecret, InfisicalSecret, …)`);
  const metadata = value.metadata;
  if (!isRecord(metadata) || typeof metadata.name !== "string" || metadata.name === "") {
    throw new ManifestError(`${at}: ${value.kind}: metadata.name is missing; every object needs a name`);
  }
  if (metadata.namespace !== undefined && typeof metadata.namespace !== "string") {
    throw new ManifestError(`${at}: ${value.kind} ${metadata.name}: metadata.namespace must be a string`);
  }
  return { origin, apiVersion: value.apiVersion, kind: value.kind, name: metadata.name, namespace: metadata.namespace as string | undefined, spec: value.spec };
}

/** Every operator object of the file's YAML documents; a document that is not YAML fails. */
export function objectsOfText(text: string, file: string): ManifestObject[] {
  const objects: ManifestObject[] = [];
  parseAllDocuments(text).forEach((document, index) => {
    const origin = { file, document: index + 1 };
    const problem = document.errors[0];
    if (problem) throw new ManifestError(`${where(origin)}: not YAML (${problem.message.split("\n")[0]}); fix the document`);
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      throw new ManifestError(`${where(origin)}: the document cannot be read (${(error as Error).message.split("\n")[0]}); fix it`);
    }
    const object = operatorObject(value, origin);
    if (object) objects.push(object);
  });
  return objects;
}

export function readManifests(path: string): ManifestObject[] {
  return manifestFiles(path).flatMap((file) => {
    const stats = statSync(file);
    if (stats.size > maxFileBytes) throw new ManifestError(`${file} is ${stats.size} bytes, over the ${maxFileBytes} a manifest file may have; give the operator manifests only`);
    return objectsOfText(readFileSync(file, "utf8"), file);
  });
}
