// The `keybridge dev` flag of the Infisical side, and its help.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { devHelp, parseDevFlags } from "../../../bin/dev-command.ts";
import { UsageError } from "../../../bin/usage-error.ts";

describe("keybridge dev --infisical-rate-limit", () => {
  it("takes a whole number of requests per minute, 0 turning the limit off, and defaults to Infisical's", () => {
    assert.equal(parseDevFlags(["--infisical-rate-limit", "0"]).infisicalRateLimit, 0);
    assert.equal(parseDevFlags(["--infisical-rate-limit=120"]).infisicalRateLimit, 120);
    assert.equal(parseDevFlags([]).infisicalRateLimit, undefined);
  });

  it("refuses anything else in one line naming the value", () => {
    assert.throws(() => parseDevFlags(["--infisical-rate-limit", "lots"]), (error: Error) => error instanceof UsageError && /got "lots"/.test(error.message));
  });

  it("is documented with the Infisical API in --help", () => {
    assert.match(devHelp, /--infisical-rate-limit N/);
    assert.match(devHelp, /\/api\/\.\.\.: machine-identity OIDC and universal/);
    assert.match(devHelp, /vault_\* and infisical_\* resources/);
  });
});
