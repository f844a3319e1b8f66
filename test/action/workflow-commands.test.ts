import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { escapeData } from "../../action/runner-protocol/workflow-commands.ts";
import { neutralizeCommands } from "../../policy/render/sanitize.ts";
import { parseWorkflowCommand } from "../../testkit/runner-emulator/workflow-commands.ts";

describe("workflow command escaping", () => {
  it("keeps a message with line breaks in one command line that reads back exactly", () => {
    const message = 'keys "a\nb", "c\r\n::error::x" and 100%';
    const line = `::error::${escapeData(message)}`;
    assert.doesNotMatch(line, /[\r\n]/);
    assert.equal(parseWorkflowCommand(line)?.data, message);
  });

  it("makes plain log lines inert: no line starts a :: command, no ##[ command anywhere", () => {
    const text = neutralizeCommands("ok\n::add-mask::x\n  ::stop-commands::t\r::error::y\nsee ##[add-mask]z");
    for (const line of text.split(/\r\n|\r|\n/)) {
      assert.doesNotMatch(line.trim(), /^::/);
      assert.doesNotMatch(line, /##\[/);
    }
    assert.equal(neutralizeCommands("Logged in to Vault: ok"), "Logged in to Vault: ok");
  });
});
