import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseFileCommands } from "../../../testkit/runner-emulator/file-commands.ts";
import { parseWorkflowCommand } from "../../../testkit/runner-emulator/workflow-commands.ts";
import { maskText, renderJobLog } from "../../../testkit/runner-emulator/masked-log.ts";

describe("runner file commands", () => {
  it("reads heredoc values with blank and multiple lines, and plain NAME=value lines", () => {
    const text = "A<<ghadelimiter_1\nline one\n\nline three\nghadelimiter_1\nB=x=y\nC<<d\n\nd\n";
    assert.deepEqual([...parseFileCommands(text)], [["A", "line one\n\nline three"], ["B", "x=y"], ["C", ""]]);
  });

  it("fails when a heredoc is never closed", () => {
    assert.throws(() => parseFileCommands("A<<eof\nvalue\n"), /no closing delimiter/);
  });
});

describe("workflow commands and the masked log", () => {
  it("unescapes %25, %0D and %0A in command data", () => {
    assert.deepEqual(parseWorkflowCommand("::add-mask::50%25%0Aline%0D"), {
      command: "add-mask",
      properties: {},
      data: "50%\nline\r",
    });
  });

  it("shows errors and hides masks, replacing the longest mask first", () => {
    const stdout = "::add-mask::abc\n::add-mask::abcdef\nvalue abcdef and abc\n::error::bad abc\n";
    assert.equal(renderJobLog(stdout), "value *** and ***\nError: bad ***");
    assert.equal(maskText("xabcdefx", ["abc", "abcdef"]), "x***x");
  });
});
