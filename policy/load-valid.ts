// The fast way through a valid policy document. Plans read two documents of tens of thousands of
// grants, where zod's general machinery costs more than the diff; this reader walks the document
// once and builds exactly what `z.safeParse(PolicyDocument, json)` would (the known keys, in the
// schema's order). On anything it does not expect it gives up (undefined) and zod reads the
// document instead, finding and wording the problems; a give-up is never an error. The few parts
// of a document that are not per grant (backend, issuers, rotation generators, Kubernetes
// principals) go through their zod schemas here too. Read from JSON text, equal principals share
// one object (zod's output is equal, value for value). test/policy/load-valid-properties.test.ts
// holds it to zod.
import * as z from "zod/mini";
import { KubernetesPrincipal, PolicyDocument, capabilities, patterns, rotationStrategies, documentVersion, type Acknowledgement, type Grant, type Principal, type Rotation } from "./document.ts";
import { Generator } from "./rotation-generator.ts";

/** Thrown inside the walk only: the document needs zod's reading. */
const giveUp = Symbol("give up");

type Fields = Readonly<Record<string, unknown>>;

function fields(value: unknown): Fields {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw giveUp;
  return value as Fields;
}

/** Each item read; by index, so that a hole in a sparse array is read as the undefined it is. */
function list<T>(value: unknown, read: (item: unknown) => T, atLeast = 0): T[] {
  if (!Array.isArray(value) || value.length < atLeast) throw giveUp;
  const items: T[] = [];
  for (let i = 0; i < value.length; i++) items.push(read(value[i]));
  return items;
}

function text(value: unknown, pattern?: RegExp, shortest = 0): string {
  if (typeof value !== "string" || value.length < shortest || (pattern && !pattern.test(value))) throw giveUp;
  return value;
}

function seconds(value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) throw giveUp;
  return value;
}

function viaSchema<T>(schema: z.ZodMiniType<T>, value: unknown): T {
  const parsed = z.safeParse(schema, value);
  if (!parsed.success) throw giveUp;
  return parsed.data;
}

const { name: namePattern, secretPath: secretPathPattern, folderGlob: folderGlobPattern, ruleId: ruleIdPattern } = patterns;
const capabilityNames: ReadonlySet<unknown> = new Set(capabilities);

function claims(value: unknown): Record<string, string[]> {
  const written = fields(value);
  // zod takes only plain objects as records; JSON.parse makes nothing else.
  if (Object.getPrototypeOf(written) !== Object.prototype) throw giveUp;
  const read: Record<string, string[]> = {};
  for (const claim of Reflect.ownKeys(written)) {
    // "__proto__" would set the prototype of the record zod builds: zod's own reading decides.
    if (typeof claim !== "string" || claim === "" || claim === "__proto__") throw giveUp;
    read[claim] = list(written[claim], (accepted) => text(accepted, undefined, 1), 1);
  }
  return read;
}

function principal(value: unknown): Principal {
  const written = fields(value);
  if (written.kind === "github-oidc") {
    const match = written.match;
    if (match !== "exact" && match !== "glob") throw giveUp;
    return { kind: "github-oidc", issuer: text(written.issuer, namePattern), audience: text(written.audience, undefined, 1), claims: claims(written.claims), match };
  }
  if (written.kind === "sso-group") return { kind: "sso-group", group: text(written.group, undefined, 1) };
  return viaSchema(KubernetesPrincipal, written);
}

function grantPath(value: unknown): string {
  const path = text(value);
  if (path !== "*" && !secretPathPattern.test(path) && !folderGlobPattern.test(path)) throw giveUp;
  return path;
}

function capability(value: unknown): Grant["capabilities"][number] {
  if (!capabilityNames.has(value)) throw giveUp;
  return value as Grant["capabilities"][number];
}

function acknowledgement(value: unknown): Acknowledgement {
  const written = fields(value);
  return { rule: text(written.rule, ruleIdPattern), reason: text(written.reason, undefined, 10) };
}

/**
 * Principals read so far, by their JSON text: a document repeats one in many grants, and they share
 * the object read. Only for values JSON.parse made, whose text says all that zod reads of them (no
 * undefined, no prototypes, no functions); undefined: read each principal.
 */
type ReadPrincipals = Map<string, Principal> | undefined;

function sharedPrincipal(value: unknown, read: ReadPrincipals): Principal {
  if (!read) return principal(value);
  const written = JSON.stringify(value);
  let known = read.get(written);
  if (!known) read.set(written, (known = principal(value)));
  return known;
}

function grant(value: unknown, principals: ReadPrincipals): Grant {
  const written = fields(value);
  const environment = text(written.environment);
  if (environment !== "*" && !namePattern.test(environment)) throw giveUp;
  return {
    id: text(written.id, namePattern),
    principal: sharedPrincipal(written.principal, principals),
    environment,
    paths: list(written.paths, grantPath, 1),
    capabilities: list(written.capabilities, capability, 1),
    tokenTtlSeconds: seconds(written.tokenTtlSeconds),
    tokenMaxTtlSeconds: seconds(written.tokenMaxTtlSeconds),
    acknowledgements: list(written.acknowledgements, acknowledgement),
  };
}

function secret(value: unknown): PolicyDocument["projects"][number]["secrets"][number] {
  const written = fields(value);
  const read = { name: text(written.name, secretPathPattern), keys: list(written.keys, (key) => text(key, undefined, 1)) };
  if (!("rotation" in written)) return read;
  return { ...read, rotation: rotation(written.rotation) };
}

const strategies: ReadonlySet<unknown> = new Set(rotationStrategies);

function rotation(value: unknown): Rotation {
  const written = fields(value);
  if (!strategies.has(written.strategy)) throw giveUp;
  const read = { maxAgeSeconds: seconds(written.maxAgeSeconds), strategy: written.strategy as Rotation["strategy"] };
  // Generators are few (one per generated secret) and a union: zod reads them.
  return "generator" in written ? { ...read, generator: viaSchema(Generator, written.generator) } : read;
}

function environment(value: unknown): PolicyDocument["projects"][number]["environments"][number] {
  const written = fields(value);
  if (typeof written.protected !== "boolean") throw giveUp;
  return { name: text(written.name, namePattern), protected: written.protected };
}

function project(value: unknown, principals: ReadPrincipals): PolicyDocument["projects"][number] {
  const written = fields(value);
  return {
    name: text(written.name, namePattern),
    environments: list(written.environments, environment, 1),
    secrets: list(written.secrets, secret),
    grants: list(written.grants, (item) => grant(item, principals)),
  };
}

/**
 * The document as zod would give it when it is valid and plainly written; undefined: let zod read
 * it. `parsedFromText`: the value is JSON.parse's, so equal principals may share one object.
 */
export function readValidDocument(json: unknown, options: { readonly parsedFromText?: boolean } = {}): PolicyDocument | undefined {
  try {
    const written = fields(json);
    if (written.version !== documentVersion) return undefined;
    const principals: ReadPrincipals = options.parsedFromText ? new Map() : undefined;
    return {
      version: documentVersion,
      backend: viaSchema(PolicyDocument.shape.backend, written.backend),
      issuers: viaSchema(PolicyDocument.shape.issuers, written.issuers),
      projects: list(written.projects, (item) => project(item, principals)),
    };
  } catch (error) {
    if (error === giveUp) return undefined;
    throw error;
  }
}
