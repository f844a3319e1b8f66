// The fast way through a valid policy document. Plans read two documents of tens of thousands of
// grants, where zod's general machinery costs more than the diff; this reader walks the document
// once and builds exactly what `z.safeParse(PolicyDocument, json)` would (the known keys, in the
// schema's order). On anything it does not expect it gives up (undefined) and zod reads the
// document instead, finding and wording the problems; a give-up is never an error. The few parts
// of a document that are not per grant (backend, issuers, rotation generators, Kubernetes
// principals) go through their zod schemas here too. Read from JSON text, the grants keep the
// parser's objects instead of copies (their keys in the order written) and equal principals share
// one object: zod's output is equal, value for value. test/policy/load-valid-properties.test.ts
// holds it to zod. Written in plain statements and indexed loops: it runs per grant before V8
// optimizes it, where array destructuring and for-of walk the iterator protocol.
import * as z from "zod/mini";
import { KubernetesPrincipal, PolicyDocument, capabilities, patterns, rotationStrategies, documentVersion, type Acknowledgement, type Grant, type Principal, type Rotation } from "./document.ts";
import { principalName, sameClaims } from "./canonical.ts";
import { Generator } from "./rotation-generator.ts";
import { sortTexts, textsInOrder } from "./text-order.ts";

/** Thrown inside the walk only: the document needs zod's reading. */
const giveUp = Symbol("give up");

type Fields = Readonly<Record<string, unknown>>;

function fields(value: unknown): Fields {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw giveUp;
  return value as Fields;
}

/**
 * Each item read; by index, so that a hole in a sparse array is read as the undefined it is. In
 * place (JSON.parse's array), the array itself is kept, holding the items as read.
 */
function list<T>(value: unknown, read: (item: unknown) => T, atLeast = 0, inPlace = false): T[] {
  if (!Array.isArray(value) || value.length < atLeast) throw giveUp;
  if (inPlace) {
    for (let i = 0; i < value.length; i++) {
      const item = read(value[i]);
      if (item !== value[i]) value[i] = item;
    }
    return value as T[];
  }
  const items: T[] = [];
  for (let i = 0; i < value.length; i++) items.push(read(value[i]));
  return items;
}

/**
 * The object holds these keys and no other (inherited enumerable ones count as other): kept as it
 * is, it equals what zod would build, its keys in the order the text wrote them.
 */
function holdsOnly(written: Fields, keys: readonly string[]): boolean {
  let count = 0;
  for (const key in written) {
    if (!keys.includes(key)) return false;
    count++;
  }
  return count === keys.length;
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

const claimValue = (accepted: unknown) => text(accepted, undefined, 1);

function claims(value: unknown, inPlace: boolean): Record<string, string[]> {
  const written = fields(value);
  // zod takes only plain objects as records; JSON.parse makes nothing else.
  if (Object.getPrototypeOf(written) !== Object.prototype) throw giveUp;
  const read: Record<string, string[]> = inPlace ? (written as Record<string, string[]>) : {};
  const names = Reflect.ownKeys(written);
  for (let i = 0; i < names.length; i++) {
    const claim = names[i]!;
    // "__proto__" would set the prototype of the record zod builds: zod's own reading decides.
    if (typeof claim !== "string" || claim === "" || claim === "__proto__") throw giveUp;
    read[claim] = list(written[claim], claimValue, 1, inPlace);
  }
  // Every name is a string by now (checked above).
  if (!inPlace || textsInOrder(names as string[])) return read;
  // From text, where key order is free: names in canonical order, as people rarely write them
  // (repository before ref), so that the diff's canonical form keeps this principal and its grants.
  const sorted: Record<string, string[]> = {};
  const ordered = sortTexts(names as string[]);
  for (let i = 0; i < ordered.length; i++) sorted[ordered[i]!] = read[ordered[i]!]!;
  return sorted;
}

const oidcKeys = ["kind", "issuer", "audience", "claims", "match"];
const groupKeys = ["kind", "group"];

function principal(value: unknown, inPlace: boolean): Principal {
  const written = fields(value);
  if (written.kind === "github-oidc") {
    const match = written.match;
    if (match !== "exact" && match !== "glob") throw giveUp;
    const issuer = text(written.issuer, namePattern);
    const audience = text(written.audience, undefined, 1);
    const claimsRead = claims(written.claims, inPlace);
    if (inPlace && holdsOnly(written, oidcKeys)) {
      (written as { claims: unknown }).claims = claimsRead;
      return written as Principal;
    }
    return { kind: "github-oidc", issuer, audience, claims: claimsRead, match };
  }
  if (written.kind === "sso-group") {
    const group = text(written.group, undefined, 1);
    return inPlace && holdsOnly(written, groupKeys) ? (written as Principal) : { kind: "sso-group", group };
  }
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

const acknowledgementKeys = ["rule", "reason"];

function acknowledgement(value: unknown, inPlace: boolean): Acknowledgement {
  const written = fields(value);
  const rule = text(written.rule, ruleIdPattern);
  const reason = text(written.reason, undefined, 10);
  return inPlace && holdsOnly(written, acknowledgementKeys) ? (written as Acknowledgement) : { rule, reason };
}

const acknowledgementInPlace = (value: unknown) => acknowledgement(value, true);
const acknowledgementCopied = (value: unknown) => acknowledgement(value, false);

/**
 * A document read from text: the principals read so far (see SharedPrincipals). Such a document is
 * JSON.parse's, which nobody else holds and whose text says all that zod reads of it (no undefined,
 * no prototypes, no functions): objects holding only known keys are kept in place rather than
 * copied, and equal principals share the object read first. undefined: any other value, copied
 * throughout as zod does.
 */
type FromText = SharedPrincipals | undefined;

/** A principal read, with the value it was read from. */
interface ReadPrincipal {
  readonly written: Fields;
  readonly principal: Principal;
}

/** Principals looked for among as many read before with the same name; a longer list is not added to. */
const sameNameLimit = 32;

/**
 * Principals read from text, kept across documents: documents loaded with the same pool (a plan's
 * base and head) share one object per equal principal, so what a plan derives from a principal is
 * derived once for both.
 */
export class SharedPrincipals {
  /** By a name the principal holds (its first repository, group or service account). */
  readonly byName = new Map<string, ReadPrincipal[]>();
}

/**
 * `value` holds what `known` (a valid principal as parsed) holds, in any order: compared field by
 * field in known's shape, so nothing deeper in `value` is walked.
 */
function writtenAlike(known: Fields, value: Fields): boolean {
  let count = 0;
  for (const key in known) {
    count++;
    const was = known[key];
    const now = value[key];
    if (was !== now && (key !== "claims" || !sameClaims(was as Readonly<Record<string, readonly string[]>>, now))) return false;
  }
  return fieldCount(value) === count;
}

function fieldCount(value: Fields): number {
  let count = 0;
  for (const _ in value) count++;
  return count;
}

function sharedPrincipal(value: unknown, fromText: FromText): Principal {
  if (!fromText) return principal(value, false);
  const written = fields(value);
  // A text the value already holds: nothing is built per grant.
  const name = principalName(written);
  const known = fromText.byName.get(name);
  // Indexed: this runs per grant of both documents, mostly before it is optimized.
  for (let i = 0; known && i < known.length; i++) if (writtenAlike(known[i]!.written, written)) return known[i]!.principal;
  const read = principal(written, true);
  if (!known) fromText.byName.set(name, [{ written, principal: read }]);
  else if (known.length < sameNameLimit) known.push({ written, principal: read });
  return read;
}

const grantKeys = ["id", "principal", "environment", "paths", "capabilities", "tokenTtlSeconds", "tokenMaxTtlSeconds", "acknowledgements"];

function grant(value: unknown, fromText: FromText): Grant {
  const written = fields(value);
  const environment = text(written.environment);
  if (environment !== "*" && !namePattern.test(environment)) throw giveUp;
  const inPlace = fromText !== undefined;
  const id = text(written.id, namePattern);
  const principal = sharedPrincipal(written.principal, fromText);
  const paths = list(written.paths, grantPath, 1, inPlace);
  const granted = list(written.capabilities, capability, 1, inPlace);
  const tokenTtlSeconds = seconds(written.tokenTtlSeconds);
  const tokenMaxTtlSeconds = seconds(written.tokenMaxTtlSeconds);
  const acknowledgements = list(written.acknowledgements, inPlace ? acknowledgementInPlace : acknowledgementCopied, 0, inPlace);
  if (inPlace && holdsOnly(written, grantKeys)) {
    (written as { principal: Principal }).principal = principal;
    return written as Grant;
  }
  return { id, principal, environment, paths, capabilities: granted, tokenTtlSeconds, tokenMaxTtlSeconds, acknowledgements };
}

function secret(value: unknown): PolicyDocument["projects"][number]["secrets"][number] {
  const written = fields(value);
  const name = text(written.name, secretPathPattern);
  const keys = list(written.keys, (key) => text(key, undefined, 1));
  // Not { ...read, rotation }: a spread that then gets a key is slow to build in V8.
  return "rotation" in written ? { name, keys, rotation: rotation(written.rotation) } : { name, keys };
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

function project(value: unknown, fromText: FromText): PolicyDocument["projects"][number] {
  const written = fields(value);
  return {
    name: text(written.name, namePattern),
    environments: list(written.environments, environment, 1),
    secrets: list(written.secrets, secret),
    grants: list(written.grants, (item) => grant(item, fromText), 0, fromText !== undefined),
  };
}

/**
 * The document as zod would give it when it is valid and plainly written; undefined: let zod read
 * it. `parsedFromText`: the value is JSON.parse's and nobody else holds it, so it is read in place
 * (see FromText); a give-up may leave parts of it replaced by equal values, which zod reads alike.
 */
export function readValidDocument(json: unknown, options: { readonly parsedFromText?: boolean; readonly principals?: SharedPrincipals } = {}): PolicyDocument | undefined {
  try {
    const written = fields(json);
    if (written.version !== documentVersion) return undefined;
    const fromText: FromText = options.parsedFromText ? (options.principals ?? new SharedPrincipals()) : undefined;
    return {
      version: documentVersion,
      backend: viaSchema(PolicyDocument.shape.backend, written.backend),
      issuers: viaSchema(PolicyDocument.shape.issuers, written.issuers),
      projects: list(written.projects, (item) => project(item, fromText)),
    };
  } catch (error) {
    if (error === giveUp) return undefined;
    throw error;
  }
}
