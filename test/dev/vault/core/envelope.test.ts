// The success envelope is written as text directly (successJson): it must be byte for byte what
// JSON.stringify makes of the envelope object (successBody below, Vault's shape), with or without
// the data's text given.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { successJson, type AuthBlock, type VaultResult } from "../../../../dev/vault/core/envelope.ts";

/** The reference: Vault's success envelope as an object. */
function successBody(requestId: string, result: VaultResult, mountType: string): Record<string, unknown> {
  return {
    request_id: requestId,
    lease_id: result.leaseId ?? "",
    renewable: result.renewable ?? false,
    lease_duration: result.leaseDuration ?? 0,
    data: result.data ?? null,
    wrap_info: null,
    warnings: result.warnings && result.warnings.length > 0 ? result.warnings : null,
    auth: result.auth ?? null,
    mount_type: mountType,
  };
}

const auth: fc.Arbitrary<AuthBlock> = fc.record({
  client_token: fc.string(),
  accessor: fc.string(),
  policies: fc.array(fc.string()),
  token_policies: fc.array(fc.string()),
  metadata: fc.dictionary(fc.string(), fc.string()),
  lease_duration: fc.integer(),
  renewable: fc.boolean(),
  entity_id: fc.string(),
  token_type: fc.constant("service" as const),
  orphan: fc.boolean(),
  mfa_requirement: fc.constant(null),
  num_uses: fc.nat(),
});

const result: fc.Arbitrary<VaultResult> = fc.record(
  {
    status: fc.integer({ min: 200, max: 299 }),
    data: fc.jsonValue(),
    auth,
    leaseDuration: fc.integer(),
    leaseId: fc.string(),
    renewable: fc.boolean(),
    warnings: fc.array(fc.string()),
  },
  { requiredKeys: [] },
);

describe("the success envelope", () => {
  it("writes what JSON.stringify writes of successBody", () => {
    fc.assert(
      fc.property(fc.uuid(), result, fc.constantFrom("kv", "system", "token", "jwt", 'odd "type"'), (id, answer, mountType) => {
        assert.equal(successJson(id, answer, mountType), JSON.stringify(successBody(id, answer, mountType)));
      }),
      { numRuns: 500 },
    );
  });

  it("splices in the data's text when the handler gives it", () => {
    fc.assert(
      fc.property(fc.uuid(), fc.jsonValue(), (id, data) => {
        const answer: VaultResult = { data, dataJson: JSON.stringify(data) };
        assert.equal(successJson(id, answer, "kv"), JSON.stringify(successBody(id, { data }, "kv")));
      }),
      { numRuns: 300 },
    );
  });
});
