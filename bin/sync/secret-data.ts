// What a synced Kubernetes Secret holds: its name, where it came from, and its data keys. Values
// become strings as the operators write them (strings as they are, anything else as JSON), and
// VSO's simple transformation (excludeRaw, includes, excludes) is applied; a templated one is
// refused, since reproducing Go templates would be a guess.
import { ManifestError } from "./manifest-error.ts";
import type { transformationSpec } from "./operator-resources.ts";
import type * as z from "zod";

export interface SyncedSecret {
  /** "ml-training/database": the Secret's namespace and name. */
  readonly secretName: string;
  readonly namespace: string;
  /** The resource that produced it, for messages: "VaultStaticSecret ml-training/database". */
  readonly source: string;
  /** Key → value; values never leave this process but for the 0600 files. */
  readonly data: ReadonlyMap<string, string>;
}

/** A Secret data key, as Kubernetes accepts it: also a safe file name in a volume. */
const secretKey = /^[-._a-zA-Z0-9]+$/;

export function checkKey(key: string, source: string): void {
  if (!secretKey.test(key) || key === "." || key === ".." || key.length > 253) {
    throw new ManifestError(`${source}: the secret has key "${key.slice(0, 80)}", which a Kubernetes Secret cannot hold (letters, digits, -, _ and . only); rename the key in the backend`);
  }
}

export const valueText = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

type Transformation = z.infer<typeof transformationSpec>;

function patterns(list: readonly string[] | undefined, field: string, at: string): RegExp[] {
  return (list ?? []).map((pattern) => {
    try {
      return new RegExp(pattern);
    } catch {
      throw new ManifestError(`${at}: spec.destination.transformation.${field}: "${pattern}" is not a regular expression; fix it`);
    }
  });
}

/** VSO's data keys: each top-level key, plus `_raw` (the data as JSON), then the transformation. */
export function vsoSecretData(data: Readonly<Record<string, unknown>>, transformation: Transformation | undefined, at: string): Map<string, string> {
  if (transformation?.templates && Object.keys(transformation.templates).length > 0) {
    throw new ManifestError(`${at}: spec.destination.transformation.templates: Go templates are not reproduced by keybridge sync; try the manifest without them, or check the templated keys in a cluster`);
  }
  if (transformation?.transformationRefs && transformation.transformationRefs.length > 0) {
    throw new ManifestError(`${at}: spec.destination.transformation.transformationRefs: SecretTransformation objects are not reproduced by keybridge sync; try the manifest without them`);
  }
  const includes = patterns(transformation?.includes, "includes", at);
  const excludes = patterns(transformation?.excludes, "excludes", at);
  const kept = Object.entries(data).filter(([key]) => (includes.length === 0 || includes.some((pattern) => pattern.test(key))) && !excludes.some((pattern) => pattern.test(key)));
  const result = new Map(kept.map(([key, value]) => [key, valueText(value)]));
  if (!transformation?.excludeRaw) result.set("_raw", JSON.stringify(data));
  return result;
}
