// The one markdown escaper over random text: what it returns is a single inline code span that no
// newline, pipe, HTML, link, heading or @mention in the input can break out of.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { escapeProse, inlineCode } from "../../policy/render/markdown-escape.ts";
import { escapeData } from "../../action/runner-protocol/workflow-commands.ts";
import { parseWorkflowCommand } from "../../testkit/runner-emulator/workflow-commands.ts";

const hostile = fc.oneof(
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.array(fc.constantFrom("\n", "\r", "|", "`", "<img src=x>", "[a](https://e.x)", "# h", "@admin", "&#124;", "\\", "<!--", "*", "_", "~", "\u2028", "\u202e", "%0A"), { maxLength: 10 }).map((parts) => parts.join("x")),
);

describe("markdown escaping properties", () => {
  it("returns one inert inline code span: no raw line break, no unescaped pipe, no active markup", () => {
    fc.assert(fc.property(hostile, (text) => {
      const code = inlineCode(text);
      assert.doesNotMatch(code, /[\r\n\u2028\u2029]/);
      assert.ok(!code.includes("|"), "a pipe would end a table cell");
      const plainSpan = /^`[^`<>&\\|]*`$/.test(code);
      const htmlSpan = /^<code>[^<>`|\\]*<\/code>$/.test(code) && !/[@[\]()#*_~!]/.test(code.slice(6, -7).replace(/&#\d+;/g, ""));
      assert.ok(plainSpan || htmlSpan, code);
    }), { numRuns: 3000 });
  });

  it("escapes prose so that it holds no tag, link, pipe, mention or line break", () => {
    fc.assert(fc.property(hostile, (text) => {
      const prose = escapeProse(text);
      assert.doesNotMatch(prose, /[\r\n<>|@[\]`]/);
    }), { numRuns: 2000 });
  });

  it("keeps workflow command data on one line that reads back exactly", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 120 }), (text) => {
      const line = `::error::${escapeData(text)}`;
      assert.doesNotMatch(line, /[\r\n]/);
      assert.equal(parseWorkflowCommand(line)?.data, text);
    }), { numRuns: 2000 });
  });
});
