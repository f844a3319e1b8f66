// canonicalKey(), stableStringify() and stableSortedCopy(): keys sorted at every level, whatever
// order they were written in; a value already in order is taken as it is, and no input is changed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { canonicalize, canonicalKey, PrincipalTable, sameClaims, stableSortedCopy, stableStringify } from "../../policy/canonical.ts";
import type { PolicyDocument, Principal } from "../../policy/document.ts";

/** Keys sorted at every level, the slow and obvious way: a replacer sorting each object's keys. */
function sortedText(value: unknown): string {
  return `${JSON.stringify(value, (_key, item: unknown) => (item === null || typeof item !== "object" || Array.isArray(item) ? item : Object.fromEntries(Object.keys(item).sort().map((key) => [key, (item as Record<string, unknown>)[key]]))), 2)}\n`;
}

describe("canonical keys", () => {
  it("are the same for the same value whatever its key order, and differ otherwise", () => {
    assert.equal(canonicalKey({ b: [1, { y: 2, x: 1 }], a: "é\n" }), canonicalKey({ a: "é\n", b: [1, { x: 1, y: 2 }] }));
    assert.equal(canonicalKey({ a: 1, b: undefined }), canonicalKey({ a: 1 }));
    assert.notEqual(canonicalKey({ a: [1, 2] }), canonicalKey({ a: [2, 1] }));
    assert.equal(canonicalKey({ b: 1, a: [true, null] }), '{"a":[true,null],"b":1}');
  });
});

describe("sameClaims", () => {
  it("holds exactly when the value has the same claim names, in any order, each with the same values", () => {
    const claims = fc.dictionary(fc.constantFrom("repository", "ref", "environment", "event_name", "toString", "__proto__"), fc.array(fc.constantFrom("a", "b", "acme/x"), { minLength: 1, maxLength: 3 }), { maxKeys: 4 });
    /** What the value is compared with: the claims as written in another key order, changed or not. */
    const written = (a: Record<string, string[]>) => fc.oneof(
      fc.constant(Object.fromEntries(Object.entries(a).reverse())),
      claims,
      fc.constantFrom<unknown>(null, "text", "", 0, [], { ...a, extra: ["x"] }),
      fc.constant(Object.fromEntries(Object.entries(a).slice(1))),
      fc.constant(Object.fromEntries(Object.entries(a).map(([name, values], i) => [name, i === 0 ? [...values, "z"] : values]))),
      fc.constant(Object.fromEntries(Object.entries(a).map(([name, values], i) => [name, i === 0 ? values.join(",") : values]))),
    );
    // Reference: the same names as a set, and for each the same list, item for item.
    const reference = (a: Record<string, string[]>, b: unknown) => {
      if (typeof b !== "object" || b === null || Array.isArray(b)) return typeof b === "object" && b !== null && Object.keys(a).length === 0 && Object.keys(b).length === 0;
      const names = Object.keys(b);
      return names.length === Object.keys(a).length && names.every((name) => Object.hasOwn(a, name) && Array.isArray((b as Record<string, unknown>)[name]) && JSON.stringify((b as Record<string, unknown>)[name]) === JSON.stringify(a[name]));
    };
    fc.assert(fc.property(claims.chain((a) => fc.tuple(fc.constant(a), written(a))), ([a, b]) => assert.equal(sameClaims(a, b), reference(a, b))), { numRuns: 1000 });
  });
});

describe("stableStringify", () => {
  it("writes what a sorting replacer writes: sorted, unsorted and mixed documents, undefined, functions, holes, integer-like keys and toJSON included", () => {
    const values: unknown[] = [
      { a: 1, b: { c: [1, { d: 2, e: 3 }] } },
      { b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } },
      { a: { c: 1, b: 2 }, b: [{ z: 1, y: 2 }, { a: 1 }], c: "x" },
      { list: [undefined, 1, [], {}], nested: { empty: {}, value: undefined } },
      { b: { d: [], c: {} }, a: [3, undefined, () => 1, [, 1]], é: "\u0000\n", _: null },
      { 10: "ten", 9: "nine", a: { 2: "two", 1: "one" }, u: undefined, f: () => 1 },
      { when: new Date(0), nested: { toJSON: () => ({ y: 1, x: 2 }) }, z: 1 },
      [{ b: 1, a: 2 }, "text", 1.5e300, -0, Number.NaN],
      "plain",
      JSON.parse('{"b":1,"__proto__":{"y":1,"x":2},"a":[{"__proto__":null}]}'),
    ];
    for (const value of values) assert.equal(stableStringify(value), sortedText(value));
  });

  it("writes what a sorting replacer writes for any JSON value", () => {
    const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("__proto__", "10", "9", "constructor", "toJSON"));
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small" }, fc.jsonValue({ maxDepth: 1 }), fc.array(tie("value"), { maxLength: 4 }), fc.dictionary(key, tie("value"), { maxKeys: 4 })),
    })).value;
    fc.assert(fc.property(json, (value) => assert.equal(stableStringify(JSON.parse(JSON.stringify(value))), sortedText(JSON.parse(JSON.stringify(value))))), { numRuns: 500 });
  });

  it("keeps an own \"__proto__\" key a key", () => {
    const document = JSON.parse('{"b": {"__proto__": {"y": 1, "x": 2}}, "a": 1}') as unknown;
    assert.equal(stableStringify(document), '{\n  "a": 1,\n  "b": {\n    "__proto__": {\n      "x": 2,\n      "y": 1\n    }\n  }\n}\n');
  });
});

describe("stableSortedCopy", () => {
  it("takes what is in order as it is, and copies only the parts out of order", () => {
    const inOrder = { a: [1, { b: 2, c: 3 }], d: { e: "f" } };
    assert.equal(stableSortedCopy(inOrder), inOrder);
    const shared = { x: 1, y: 2 };
    const mixed = { b: shared, a: [shared, { d: 1, c: 2 }] };
    const before = JSON.stringify(mixed);
    const copy = stableSortedCopy(mixed) as { a: [unknown, Record<string, number>]; b: unknown };
    assert.notEqual(copy, mixed);
    assert.equal(copy.b, shared, "a member in order is not copied");
    assert.equal(copy.a[0], shared);
    assert.deepEqual(Object.keys(copy.a[1]), ["c", "d"]);
    assert.equal(JSON.stringify(mixed), before, "the input is unchanged");
  });

  it("answers undefined for a value holding toJSON()", () => {
    assert.equal(stableSortedCopy({ a: new Date(0) }), undefined);
  });
});

describe("canonicalize", () => {
  it("sorts a principal's claims and their values, each value once, whatever the names (__proto__ included), and changes no input", () => {
    const name = fc.oneof(fc.constantFrom("repository", "ref", "environment", "sub", "__proto__", "constructor"), fc.string({ minLength: 1, maxLength: 4 })).filter(
      // An object lists integer-like keys first, whatever is done: no order to check there.
      (claim) => !/^(0|[1-9][0-9]*)$/.test(claim),
    );
    const claims = fc.uniqueArray(fc.tuple(name, fc.array(fc.string({ minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 })), { selector: ([claim]) => claim, maxLength: 5 });
    fc.assert(
      fc.property(claims, (entries) => {
        const written = Object.fromEntries(entries);
        const principal = { kind: "github-oidc" as const, issuer: "github", audience: "sts", match: "exact" as const, claims: written };
        const grant = { id: "g", principal, environment: "dev", paths: ["db"], capabilities: ["read" as const], tokenTtlSeconds: 60, tokenMaxTtlSeconds: 60, acknowledgements: [] };
        const document: PolicyDocument = { version: 1, backend: { type: "vault", mount: "secret", authPath: "jwt" }, issuers: [], projects: [{ name: "p", environments: [{ name: "dev", protected: false }], secrets: [], grants: [grant] }] };
        const before = JSON.stringify(document);
        const read = canonicalize(document).projects[0]!.grants[0]!.principal;
        assert.equal(read.kind, "github-oidc");
        const expected = entries.map(([claim, values]) => [claim, [...new Set(values)].sort()] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        assert.deepEqual(Object.entries(read.kind === "github-oidc" ? read.claims : {}), expected);
        assert.equal(Object.getPrototypeOf(read.kind === "github-oidc" ? read.claims : {}), Object.prototype);
        assert.equal(JSON.stringify(document), before, "the input is unchanged");
      }),
      { numRuns: 300 },
    );
  });

  // The diff relies on it: a table gives equal principals one object, and other principals others.
  it("shares one object per principal in a table exactly when their canonical forms are equal, however many hold one repository", () => {
    const values = fc.array(fc.constantFrom("a", "b", "c", "__proto__"), { minLength: 1, maxLength: 3 });
    const oidc = fc.record({
      issuer: fc.constantFrom("github", "ghes"),
      audience: fc.constantFrom("sts", "https://github.com/acme"),
      match: fc.constantFrom("exact" as const, "glob" as const),
      repository: fc.option(fc.constantFrom<string[]>(["a"], ["a", "b"], ["b", "a"]), { nil: undefined, freq: 5 }),
      claims: fc.dictionary(fc.constantFrom("ref", "environment", "__proto__"), values, { maxKeys: 3 }),
    }).map(({ repository, claims, ...fields }): Principal => ({ kind: "github-oidc", ...fields, claims: repository ? { ...claims, repository } : claims }));
    const other = fc.oneof(
      fc.constantFrom("a", "b").map((group): Principal => ({ kind: "sso-group", group })),
      fc.record({ cluster: fc.constantFrom("c1", "c2"), namespace: fc.constantFrom("n1", "n2"), serviceAccount: fc.constantFrom("a", "b") }).map((fields): Principal => ({ kind: "kubernetes", ...fields })),
    );
    // The reference: claims' values as a sorted set, then every key sorted.
    const reference = (principal: Principal) =>
      canonicalKey(principal.kind === "github-oidc" ? { ...principal, claims: Object.fromEntries(Object.entries(principal.claims).map(([claim, list]) => [claim, [...new Set(list)].sort()])) } : principal);
    fc.assert(
      // Drawn from a few, as copies: many equal principals, and many that hold one repository.
      fc.property(fc.array(fc.oneof({ weight: 4, arbitrary: oidc }, { weight: 1, arbitrary: other }), { minLength: 1, maxLength: 24 }), fc.array(fc.nat(), { minLength: 20, maxLength: 40 }), (few, picks) => {
        const principals = picks.map((pick) => structuredClone(few[pick % few.length]!));
        const table = new PrincipalTable();
        const shared = principals.map((principal) => table.shared(principal));
        for (let i = 0; i < principals.length; i++) {
          assert.equal(reference(shared[i]!), reference(principals[i]!));
          for (let j = 0; j < i; j++) assert.equal(shared[i] === shared[j], reference(principals[i]!) === reference(principals[j]!));
        }
      }),
      { numRuns: 300 },
    );
  });
});
