// A manifest `keybridge sync` cannot use: one line naming the file, the object and the field.
import { withCode } from "../../policy/errors/keybridge-error.ts";

export class ManifestError extends withCode("KB_MANIFEST_INVALID") {}

/** Where an object was read: its file and its place among the file's YAML documents. */
export interface Origin {
  readonly file: string;
  /** 1-based. */
  readonly document: number;
}

export function where(origin: Origin): string {
  return `${origin.file} (document ${origin.document})`;
}
