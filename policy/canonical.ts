// Canonical form of a policy document: every list sorted by its natural key and object keys in
// order, so two synths of the same app are byte-identical and diffs show only real changes.
import { capabilities, type Grant, type PolicyDocument, type Principal, type Project } from "./document.ts";
import { compareText, sameTexts, sortTexts, textsInOrder } from "./text-order.ts";

const byName = <T extends { name: string }>(a: T, b: T) => compareText(a.name, b.name);

// Lists already in canonical order are kept as they are: most documents were written canonical.
// Loops and comparers made once: plans canonicalize documents of tens of thousands of grants.
function inOrder<T>(list: readonly T[], before: (a: T, b: T) => boolean): boolean {
  for (let i = 1; i < list.length; i++) if (!before(list[i - 1]!, list[i]!)) return false;
  return true;
}

const nameBefore = <T extends { name: string }>(a: T, b: T) => a.name < b.name;
const idBefore = (a: Grant, b: Grant) => a.id < b.id;
const byId = (a: Grant, b: Grant) => compareText(a.id, b.id);
/** `list` itself (a new array the caller made) when in order, else sorted in place. */
const ordered = <T>(list: T[], before: (a: T, b: T) => boolean, compare: (a: T, b: T) => number): T[] => (inOrder(list, before) ? list : list.sort(compare));

/** Sorted, each name once: `names` itself when it already is. */
const sortedNames = (names: string[]): string[] => (textsInOrder(names) ? names : sortTexts([...new Set(names)]));

function canonicalPrincipal(principal: Principal): Principal {
  if (principal.kind !== "github-oidc") return principal;
  const claims = Object.keys(principal.claims);
  const namesInOrder = textsInOrder(claims);
  // Loops, not every()/map(): this runs per principal of both documents, mostly before it is optimized.
  let valuesInOrder = true;
  for (let i = 0; i < claims.length && valuesInOrder; i++) valuesInOrder = textsInOrder(principal.claims[claims[i]!]!);
  if (namesInOrder && valuesInOrder) return principal;
  if (!namesInOrder) sortTexts(claims);
  // Written people's way (repository before ref) the names are out of order, the values not: those are shared.
  const sorted: Record<string, string[]> = {};
  for (let i = 0; i < claims.length; i++) {
    const claim = claims[i]!;
    const values = sortedNames(principal.claims[claim]!);
    // An own "__proto__" claim must stay a claim, not become the prototype.
    if (claim === "__proto__") Object.defineProperty(sorted, claim, { value: values, enumerable: true, writable: true, configurable: true });
    else sorted[claim] = values;
  }
  return { ...principal, claims: sorted };
}

/** A canonical principal's identity as text: JSON of its fields in a fixed order (claims are sorted). */
function identity(principal: Principal): string {
  switch (principal.kind) {
    case "github-oidc":
      return JSON.stringify([principal.kind, principal.issuer, principal.audience, principal.match, principal.claims]);
    case "sso-group":
      return JSON.stringify([principal.kind, principal.group]);
    default:
      return JSON.stringify([principal.kind, principal.cluster, principal.namespace, principal.serviceAccount]);
  }
}

/** Two canonical principals admit the same jobs: the fields identity() reads are equal. */
function samePrincipal(a: Principal, b: Principal): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "github-oidc") {
    const other = b as typeof a;
    return a.issuer === other.issuer && a.audience === other.audience && a.match === other.match && sameClaims(a.claims, other.claims);
  }
  if (a.kind === "sso-group") return a.group === (b as typeof a).group;
  const other = b as typeof a;
  return a.cluster === other.cluster && a.namespace === other.namespace && a.serviceAccount === other.serviceAccount;
}

/**
 * `b` holds the claims `a` holds: the same names (in any order), each with the same values in the
 * same order. `b` may be anything, as written in a document; a name `b` lacks reads as no list.
 */
export function sameClaims(a: Readonly<Record<string, readonly string[]>>, b: unknown): boolean {
  if (typeof b !== "object" || b === null) return false;
  const other = b as Readonly<Record<string, unknown>>;
  let count = 0;
  for (const claim in a) {
    count++;
    const values = other[claim];
    if (!Array.isArray(values) || !sameTexts(a[claim]!, values as readonly string[])) return false;
  }
  for (const _ in other) count--;
  return count === 0;
}

/**
 * A name a principal holds, to look for equal ones among a few: its group, service account or
 * first repository. Read from any value, as written or canonical: it only says where to look.
 */
export function principalName(principal: object): string {
  const fields = principal as Readonly<Record<string, unknown>>;
  if (typeof fields.group === "string") return fields.group;
  if (typeof fields.serviceAccount === "string") return fields.serviceAccount;
  const claims = fields.claims;
  const repository = typeof claims === "object" && claims !== null && Object.hasOwn(claims, "repository") ? (claims as Readonly<Record<string, unknown>>).repository : undefined;
  return Array.isArray(repository) && typeof repository[0] === "string" ? repository[0] : "";
}

/** Principals sharing a name: compared one by one while few, by identity text once they are many. */
interface SameName {
  readonly principals: Principal[];
  byIdentity?: Map<string, Principal>;
}

/** Beyond this many principals of one name, looking one up compares texts instead of every field of each. */
const comparedOneByOne = 8;

/**
 * Principal → the one object that stands for it. Documents repeat a principal in many grants;
 * sharing one object lets whatever is derived from it (facets, wording, the grants it holds) be
 * derived once, and two principals admit the same jobs exactly when they are the same object.
 * Looked up by object first (a document read from text already shares one per principal), then
 * among the canonical principals of the same name, field by field: no text per principal.
 */
export class PrincipalTable {
  readonly #byObject = new WeakMap<Principal, Principal>();
  readonly #byName = new Map<string, SameName>();

  shared(principal: Principal): Principal {
    let shared = this.#byObject.get(principal);
    if (!shared) {
      shared = this.#intern(canonicalPrincipal(principal));
      this.#byObject.set(principal, shared);
      if (shared !== principal) this.#byObject.set(shared, shared);
    }
    return shared;
  }

  /** The principal equal to `canonical` seen first (`canonical` itself when none was). */
  #intern(canonical: Principal): Principal {
    const name = principalName(canonical);
    let same = this.#byName.get(name);
    if (!same) this.#byName.set(name, (same = { principals: [] }));
    if (same.byIdentity) {
      const key = identity(canonical);
      const found = same.byIdentity.get(key);
      if (found) return found;
      same.byIdentity.set(key, canonical);
      return canonical;
    }
    // Indexed: this runs per principal of both documents, mostly before it is optimized.
    for (let i = 0; i < same.principals.length; i++) if (samePrincipal(same.principals[i]!, canonical)) return same.principals[i]!;
    same.principals.push(canonical);
    if (same.principals.length > comparedOneByOne) same.byIdentity = new Map(same.principals.map((known) => [identity(known), known]));
    return canonical;
  }
}

const capabilityRank = new Map<string, number>(capabilities.map((capability, rank) => [capability, rank]));
// An unknown capability ranks last, after which nothing is in order: the list is rebuilt from the known ones.
const rankOf = (capability: string) => capabilityRank.get(capability) ?? capabilities.length;
/** Known capabilities, each once, in the order of `capabilities`. */
function capabilitiesInOrder(granted: Grant["capabilities"]): boolean {
  let previous = -1;
  for (let i = 0; i < granted.length; i++) {
    const rank = rankOf(granted[i]!);
    if (rank <= previous || rank === capabilities.length) return false;
    previous = rank;
  }
  return true;
}
const canonicalCapabilities = (granted: Grant["capabilities"]) => (capabilitiesInOrder(granted) ? granted : capabilities.filter((capability) => granted.includes(capability)));

type Acknowledgement = Grant["acknowledgements"][number];
const byRuleAndReason = (a: Acknowledgement, b: Acknowledgement) => compareText(a.rule, b.rule) || compareText(a.reason, b.reason);
const acknowledgementBefore = (a: Acknowledgement, b: Acknowledgement) => byRuleAndReason(a, b) <= 0;

function canonicalGrant(grant: Grant, principals: PrincipalTable | undefined): Grant {
  const principal = principals ? principals.shared(grant.principal) : canonicalPrincipal(grant.principal);
  const paths = sortedNames(grant.paths);
  const granted = canonicalCapabilities(grant.capabilities);
  const acknowledgements = grant.acknowledgements.length < 2 || inOrder(grant.acknowledgements, acknowledgementBefore) ? grant.acknowledgements : [...grant.acknowledgements].sort(byRuleAndReason);
  const same = principal === grant.principal && paths === grant.paths && granted === grant.capabilities && acknowledgements === grant.acknowledgements;
  return same ? grant : { ...grant, principal, paths, capabilities: granted, acknowledgements };
}

function canonicalProject(project: Project, principals: PrincipalTable | undefined): Project {
  return {
    ...project,
    environments: ordered([...project.environments], nameBefore, byName),
    secrets: ordered([...project.secrets], nameBefore, byName).map((secret) => {
      const keys = sortedNames(secret.keys);
      return keys === secret.keys ? secret : { ...secret, keys };
    }),
    grants: ordered(
      project.grants.map((grant) => canonicalGrant(grant, principals)),
      idBefore,
      byId,
    ),
  };
}

/** `principals`, when given, makes equal principals one object (across documents canonicalized with the same table). */
export function canonicalize(document: PolicyDocument, principals?: PrincipalTable): PolicyDocument {
  return {
    ...document,
    issuers: ordered([...document.issuers], nameBefore, byName),
    projects: ordered(
      document.projects.map((project) => canonicalProject(project, principals)),
      nameBefore,
      byName,
    ),
  };
}

/**
 * Compact JSON with object keys sorted at every level: an order-independent key for comparing and
 * grouping values. Built directly as a string: plans compare tens of thousands of grants.
 */
export function canonicalKey(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    // Lists of names (paths, capabilities, claim values) are most of what plans compare: as JSON has them.
    if (value.every((item) => typeof item === "string")) return JSON.stringify(value);
    return `[${value.map((item) => (item === undefined ? "null" : canonicalKey(item))).join(",")}]`;
  }
  const parts: string[] = [];
  for (const key of Object.keys(value).sort(compareText)) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined && typeof item !== "function") parts.push(`${JSON.stringify(key)}:${canonicalKey(item)}`);
  }
  return `{${parts.join(",")}}`;
}

/** What sortedCopy() answers for a value holding a toJSON() method, which JSON.stringify must call in place. */
const hasToJson = Symbol("toJSON");

/**
 * The value with object keys sorted at every level (JSON.stringify does the rest), or hasToJson.
 * What is sorted already is taken as it is (a document built in order is not copied); the rest is a copy.
 */
function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return hasToJson;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const item = sortedCopy(value[index]);
      if (item === hasToJson) return hasToJson;
      if (item !== value[index]) copy ??= value.slice(0, index);
      if (copy) copy[index] = item;
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  const items: unknown[] = new Array(keys.length);
  let same = true;
  for (let index = 0; index < keys.length; index++) {
    const item = sortedCopy(record[keys[index]!]);
    if (item === hasToJson) return hasToJson;
    items[index] = item;
    same &&= item === record[keys[index]!] && (index === 0 || keys[index - 1]! < keys[index]!);
  }
  if (same) return value;
  const copy: Record<string, unknown> = {};
  const order = keys.map((_key, index) => index).sort((a, b) => compareText(keys[a]!, keys[b]!));
  for (const index of order) {
    const key = keys[index]!;
    // An own "__proto__" key (JSON.parse makes one) must stay a key, not become the prototype.
    if (key === "__proto__") Object.defineProperty(copy, key, { value: items[index], enumerable: true, writable: true, configurable: true });
    else copy[key] = items[index];
  }
  return copy;
}

/**
 * A copy with object keys sorted at every level, which JSON.stringify(copy, null, 2) writes as
 * stableStringify() does (without its final newline); undefined when the value holds a toJSON() method.
 */
export function stableSortedCopy(value: unknown): unknown {
  const sorted = sortedCopy(value);
  return sorted === hasToJson ? undefined : sorted;
}

/** JSON with object keys sorted at every level, two-space indented, ending in a newline. */
export function stableStringify(value: unknown): string {
  // A sorted copy written by JSON.stringify without a replacer, which costs a call per value.
  const sorted = sortedCopy(value);
  if (sorted !== hasToJson) return `${JSON.stringify(sorted, null, 2)}\n`;
  return `${JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) return item;
    return Object.fromEntries(Object.keys(item).sort(compareText).map((key) => [key, (item as Record<string, unknown>)[key]]));
  }, 2)}\n`;
}

export function serializePolicyDocument(document: PolicyDocument): string {
  return stableStringify(canonicalize(document));
}
