// Project-role rules as Infisical evaluates them ($eq, $ne, $in, $glob on environment, secretPath,
// secretName; deny wins; legacy "read"; built-in roles) and secret references as pure functions.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { builtinRoles, can, parseConditions, PermissionConfigError, type PermissionRule } from "../../../dev/infisical/permissions.ts";
import { expandReferences, maxReferenceDepth, referenceTarget, type SecretLocation } from "../../../dev/infisical/references.ts";

function rule(actions: string[], conditions: Record<string, unknown>, inverted = false, subject = "secrets"): PermissionRule {
  return { subject, actions, conditions: parseConditions(conditions), inverted };
}

describe("permission rules", () => {
  const prodApi = rule(["describeSecret", "readValue"], { environment: { $eq: "prod" }, secretPath: { $glob: "/api/**" } });

  it("grants by environment and path glob", () => {
    assert.equal(can([prodApi], "readValue", "secrets", { environment: "prod", secretPath: "/api" }), true);
    assert.equal(can([prodApi], "readValue", "secrets", { environment: "prod", secretPath: "/api/v1" }), true);
    assert.equal(can([prodApi], "readValue", "secrets", { environment: "dev", secretPath: "/api" }), false);
    assert.equal(can([prodApi], "readValue", "secrets", { environment: "prod", secretPath: "/apiary" }), false);
    assert.equal(can([prodApi], "edit", "secrets", { environment: "prod", secretPath: "/api" }), false);
  });

  it("refuses when no rule matches, and for another subject", () => {
    assert.equal(can([], "describeSecret", "secrets", { environment: "prod", secretPath: "/" }), false);
    assert.equal(can([prodApi], "read", "secret-folders", { environment: "prod", secretPath: "/api" }), false);
  });

  it("describeSecret without readValue lists but does not read", () => {
    const lister = [rule(["describeSecret"], { environment: "prod" })];
    assert.equal(can(lister, "describeSecret", "secrets", { environment: "prod", secretPath: "/db" }), true);
    assert.equal(can(lister, "readValue", "secrets", { environment: "prod", secretPath: "/db" }), false);
  });

  it("supports $in and $ne, and a plain value as $eq", () => {
    const rules = [rule(["describeSecret"], { environment: { $in: ["dev", "staging"] }, secretPath: { $ne: "/admin" } })];
    assert.equal(can(rules, "describeSecret", "secrets", { environment: "staging", secretPath: "/app" }), true);
    assert.equal(can(rules, "describeSecret", "secrets", { environment: "staging", secretPath: "/admin" }), false);
    assert.equal(can(rules, "describeSecret", "secrets", { environment: "prod", secretPath: "/app" }), false);
    assert.equal(can([rule(["describeSecret"], { environment: "dev" })], "describeSecret", "secrets", { environment: "dev", secretPath: "/" }), true);
  });

  it("lets a matching deny win over any grant", () => {
    const rules = [rule(["describeSecret", "readValue"], { environment: "prod" }), rule(["readValue"], { secretPath: { $glob: "/app/db/**" } }, true)];
    assert.equal(can(rules, "readValue", "secrets", { environment: "prod", secretPath: "/app" }), true);
    assert.equal(can(rules, "readValue", "secrets", { environment: "prod", secretPath: "/app/db" }), false);
    assert.equal(can(rules, "describeSecret", "secrets", { environment: "prod", secretPath: "/app/db" }), true);
  });

  it("checks secretName per secret, and treats it as possible for a list", () => {
    const rules = [rule(["describeSecret"], { environment: "prod", secretName: { $glob: "DB_*" } })];
    assert.equal(can(rules, "describeSecret", "secrets", { environment: "prod", secretPath: "/" }), true, "some secret of the folder may match");
    assert.equal(can(rules, "describeSecret", "secrets", { environment: "prod", secretPath: "/", secretName: "DB_HOST" }), true);
    assert.equal(can(rules, "describeSecret", "secrets", { environment: "prod", secretPath: "/", secretName: "API" }), false);
    const deny = [rule(["describeSecret"], {}), rule(["describeSecret"], { secretName: "SECRET" }, true)];
    assert.equal(can(deny, "describeSecret", "secrets", { environment: "prod", secretPath: "/" }), true, "a name-scoped deny does not refuse the whole list");
  });

  it("reads the legacy action read as describeSecret and readValue", () => {
    const legacy = [rule(["read"], { environment: "prod" })];
    assert.equal(can(legacy, "describeSecret", "secrets", { environment: "prod", secretPath: "/" }), true);
    assert.equal(can(legacy, "readValue", "secrets", { environment: "prod", secretPath: "/" }), true);
  });

  it("has Infisical's built-in roles", () => {
    const scope = { environment: "prod", secretPath: "/x" };
    assert.equal(can(builtinRoles.admin!, "readValue", "secrets", scope), true);
    assert.equal(can(builtinRoles.viewer!, "readValue", "secrets", scope), true);
    assert.equal(can(builtinRoles.viewer!, "edit", "secrets", scope), false);
    assert.equal(can(builtinRoles["no-access"]!, "describeSecret", "secrets", scope), false);
  });

  it("refuses conditions it cannot honour, in one line naming them", () => {
    assert.throws(() => parseConditions({ secretTags: { $in: ["a"] } }), (error: Error) => error instanceof PermissionConfigError && /secretTags/.test(error.message));
    assert.throws(() => parseConditions({ environment: { $regex: "p.*" } }), /unknown operator "\$regex" on "environment"/);
    assert.throws(() => parseConditions({ team: "a" }), /unknown condition field "team"/);
    assert.throws(() => parseConditions({ environment: { $in: "prod" } }), /\$in must be a list/);
  });
});

describe("secret references", () => {
  const store: Record<string, string> = {
    "prod:/:ROOT": "root",
    "prod:/app:URL": "https://api",
    "prod:/app:LOGIN": "${URL}/login",
    "prod:/app:TWO": "${LOGIN}+${prod.ROOT}",
    "prod:/app/db:HOST": "db",
    "dev:/app:URL": "https://dev",
    "prod:/app:A": "a-${B}",
    "prod:/app:B": "b-${A}",
    "prod:/secret:PRIVATE": "private",
  };
  const source = (readable: (location: SecretLocation) => boolean = () => true) => ({
    value: (location: SecretLocation) => store[`${location.environment}:${location.path}:${location.key}`],
    canReadValue: readable,
  });
  const origin: SecretLocation = { environment: "prod", path: "/app", key: "X" };
  const expand = (value: string, readable?: (location: SecretLocation) => boolean) => expandReferences(value, origin, source(readable));

  it("resolves ${KEY} in the same folder, ${env.KEY} at an environment's root, ${env.a.b.KEY} in nested folders", () => {
    assert.equal(expand("${URL}"), "https://api");
    assert.equal(expand("${prod.ROOT}"), "root");
    assert.equal(expand("${prod.app.db.HOST}:5432"), "db:5432");
    assert.equal(expand("${dev.app.URL}"), "https://dev");
  });

  it("expands referenced values in turn", () => {
    assert.equal(expand("${TWO}"), "https://api/login+root");
  });

  it("keeps a reference to a missing secret as written", () => {
    assert.equal(expand("x-${NOPE}-${prod.nowhere.KEY}"), "x-${NOPE}-${prod.nowhere.KEY}");
  });

  it("stops a cycle, keeping the reference that closes it", () => {
    assert.equal(expandReferences("a-${B}", { environment: "prod", path: "/app", key: "A" }, source()), "a-b-${A}");
  });

  it("follows references 10 levels deep and keeps the next one as written", () => {
    const chain: Record<string, string> = {};
    for (let i = 0; i <= maxReferenceDepth + 2; i++) chain[`prod:/:K${i}`] = `${i}\${K${i + 1}}`;
    const deep = expandReferences("${K0}", { environment: "prod", path: "/", key: "X" }, { value: (l) => chain[`${l.environment}:${l.path}:${l.key}`], canReadValue: () => true });
    assert.equal(deep, "0123456789${K10}");
  });

  it("refuses the read when a referenced secret's value may not be read", () => {
    assert.throws(
      () => expand("${prod.secret.PRIVATE}", (location) => location.path !== "/secret"),
      (error: Error & { status?: number }) => error.status === 403 && /You do not have permission to read secret 'PRIVATE'/.test(error.message) && !error.message.includes("private"),
    );
  });

  it("leaves cross-project references as written", () => {
    assert.equal(referenceTarget("@other.prod.KEY", { environment: "prod", path: "/" }), undefined);
    assert.equal(expand("${@other.prod.KEY}"), "${@other.prod.KEY}");
  });
});
