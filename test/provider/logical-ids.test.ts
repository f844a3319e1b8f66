// Our elements' logical IDs (provider/logical-ids.ts) are the framework's: the default naming is
// checked against the stack's own allocateLogicalId() on random construct trees, and a stack that
// names its elements its own way, or an element given its own name, keeps the framework's answer.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { App, Construct, TerraformStack, type IConstruct } from "../../provider/cdk.ts";
import { defaultLogicalId } from "../../provider/logical-ids.ts";
import { VaultResource } from "../../provider/targets/vault-resources.ts";

/** The framework's own answer: the stack's naming (protected in its types); undefined where it refuses (no id but "Default"). */
function frameworkId(stack: TerraformStack, element: IConstruct): string | undefined {
  try {
    return (stack as unknown as { allocateLogicalId(element: IConstruct): string }).allocateLogicalId(element);
  } catch {
    return undefined;
  }
}

function resource(scope: Construct, id: string): VaultResource<{ name: string }> {
  return new VaultResource(scope, id, "vault_policy", { name: id });
}

// Ids the naming treats specially ("Default" is left out, "Resource" is not shown, an id its
// predecessor ends with is skipped), ids with characters it cleans out, and long ones (it cuts).
const id = fc.oneof(
  fc.constantFrom("Default", "Resource", "a", "ba", "role", "prod-role", "x.y", "*", "--", "é"),
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.string({ minLength: 100, maxLength: 300 }),
)
  // The framework refuses tokens in ids and turns "/" into "--"; its tree finds children by plain
  // object lookup, where "toString" and the like are found on the prototype.
  .filter((text) => !text.includes("${") && !text.includes("/") && !(text in Object.prototype));

describe("logical IDs", () => {
  it("are the framework's default naming for elements at random paths, sharing scopes", () => {
    fc.assert(fc.property(fc.array(fc.array(id, { minLength: 0, maxLength: 5 }), { minLength: 1, maxLength: 6 }), (paths) => {
      const app = new App({ outdir: "unused" });
      const stack = new TerraformStack(app, "stack");
      const elements: IConstruct[] = [];
      for (const path of paths) {
        let scope: Construct = stack;
        for (const [depth, part] of path.entries()) {
          // The same ids at the same depth share a scope; a name already taken by an element is skipped.
          const found = scope.node.tryFindChild(part);
          if (found instanceof VaultResource) continue;
          scope = (found as Construct | undefined) ?? (depth === path.length - 1 ? scope : new Construct(scope, part));
          if (depth === path.length - 1 && !found) elements.push(resource(scope, part));
        }
        if (path.length === 0 && !stack.node.tryFindChild("first")) elements.push(resource(stack, "first"));
      }
      for (const element of elements) {
        const expected = frameworkId(stack, element);
        assert.equal(defaultLogicalId(element)?.id, expected, element.node.path);
        if (expected !== undefined) assert.equal((element as VaultResource<object>).friendlyUniqueId, expected);
      }
    }), { numRuns: 400 });
  });

  it("are the stack's own when it names elements its own way", () => {
    class Named extends TerraformStack {
      protected override allocateLogicalId(element: Parameters<TerraformStack["getLogicalId"]>[0]): string {
        return `own_${"node" in element ? element.node.id : element.id}`;
      }
    }
    const stack = new Named(new App({ outdir: "unused" }), "named");
    const first = resource(new Construct(stack, "grant"), "role");
    const second = resource(new Construct(stack, "other"), "role");
    assert.equal(first.friendlyUniqueId, "own_role");
    assert.equal(second.friendlyUniqueId, "own_role");
  });

  it("follow overrideLogicalId() given before they are read, and are kept once read, as the framework's", () => {
    const stack = new TerraformStack(new App({ outdir: "unused" }), "stack");
    const named = resource(stack, "named");
    named.overrideLogicalId("chosen");
    assert.equal(named.friendlyUniqueId, "chosen");
    const reset = resource(stack, "reset");
    reset.overrideLogicalId("chosen");
    reset.resetOverrideLogicalId();
    assert.equal(reset.friendlyUniqueId, frameworkId(stack, reset));
    const read = resource(stack, "read");
    const before = read.friendlyUniqueId;
    read.overrideLogicalId("late");
    assert.equal(read.friendlyUniqueId, before);
  });
});
