// Secret references, expanded when a read asks for expandSecretReferences=true: ${KEY} is a
// secret of the same environment and folder, ${env.KEY} one at the root of environment env, and
// ${env.a.b.KEY} one in folder /a/b of env. Referenced values are expanded in turn, up to 10
// levels. A reference to a secret that does not exist stays as written; so does the reference
// that would close a cycle, and any deeper than 10 levels. Reading through a reference needs
// readValue on the referenced secret, else the whole read is refused (403), as in Infisical.
// Cross-project references (${@project.env.KEY}) are not supported and stay as written.
import { forbidden } from "./errors.ts";
import { normalizeFolderPath } from "./paths.ts";

export interface SecretLocation {
  readonly environment: string;
  readonly path: string;
  readonly key: string;
}

export interface ReferenceSource {
  /** The stored (unexpanded) value, or undefined when there is no such secret. */
  value(location: SecretLocation): string | undefined;
  canReadValue(location: SecretLocation): boolean;
}

export const maxReferenceDepth = 10;

const referencePattern = /\$\{([a-zA-Z0-9_.@-]+)\}/g;

/** Where a reference points from a secret in `from`; undefined for forms that are not resolved. */
export function referenceTarget(reference: string, from: { readonly environment: string; readonly path: string }): SecretLocation | undefined {
  const parts = reference.split(".");
  if (parts[0]!.startsWith("@") || parts.some((part) => part === "")) return undefined;
  if (parts.length === 1) return { environment: from.environment, path: from.path, key: parts[0]! };
  return { environment: parts[0]!, path: normalizeFolderPath(parts.slice(1, -1).join("/")), key: parts.at(-1)! };
}

const locationId = (location: SecretLocation) => `${location.environment}:${location.path}:${location.key}`;

export function expandReferences(value: string, origin: SecretLocation, source: ReferenceSource): string {
  const expand = (text: string, from: SecretLocation, depth: number, visiting: ReadonlySet<string>): string =>
    text.replace(referencePattern, (whole, reference: string) => {
      const target = referenceTarget(reference, from);
      if (!target) return whole;
      if (!source.canReadValue(target)) {
        throw forbidden(
          `You do not have permission to read secret '${target.key}' in environment '${target.environment}' at path '${target.path}', which is referenced by secret '${origin.key}' in environment '${origin.environment}' at path '${origin.path}'; grant readValue on it or remove the reference`,
        );
      }
      const found = source.value(target);
      if (found === undefined) return whole;
      const id = locationId(target);
      if (visiting.has(id) || depth >= maxReferenceDepth) return whole;
      return expand(found, target, depth + 1, new Set([...visiting, id]));
    });
  return expand(value, origin, 0, new Set([locationId(origin)]));
}
