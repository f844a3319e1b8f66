// Properties of the one path resolution: for any X-Vault-Namespace header and request path, the
// path the ACL checks is the path the router serves, in the namespace the path lies in.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { resolveVaultPath, splitPath, type NamespaceSet } from "../../../../dev/vault/core/vault-path.ts";
import { VaultError } from "../../../../dev/vault/core/errors.ts";
import { createVault } from "../../../../dev/vault/vault.ts";

const segment = fc.constantFrom("team-a", "team-b", "secret", "data", "sys", "auth", "token", "identity", "policies", "acl", "x", ".", "..", "");
const pathOf = fc.array(segment, { maxLength: 6 }).map((parts) => parts.join("/"));
const headerOf = fc.oneof(fc.constant(undefined), pathOf, pathOf.map((path) => `/${path}/`));

function namespaceSet(existing: readonly string[]): NamespaceSet {
  return {
    exists: (namespace) => namespace === "" || existing.includes(namespace),
    enclosing: (path) => existing.filter((namespace) => path.startsWith(namespace)).sort((a, b) => b.length - a.length)[0] ?? "",
  };
}

describe("vault path resolution", () => {
  it("gives the router and the ACL one path, split at a namespace that exists", () => {
    fc.assert(
      fc.property(headerOf, pathOf, fc.subarray(["team-a/", "team-b/"]), (header, path, existing) => {
        const namespaces = namespaceSet(existing);
        let resolved;
        try {
          resolved = resolveVaultPath(header, path, namespaces);
        } catch (error) {
          assert.ok(error instanceof VaultError && (error.status === 400 || error.status === 403));
          return;
        }
        assert.ok(namespaces.exists(resolved.namespace));
        assert.equal(resolved.namespace + resolved.relative, resolved.path);
        assert.deepEqual(splitPath(resolved.path, namespaces), resolved);
      }),
      { numRuns: 2000 },
    );
  });

  it("routes every request on the path its ACL is checked on", async () => {
    const vault = createVault({ now: () => 0, rootToken: "root", local: { discoveryUrls: new Set(), jwksUrls: new Set(), jwks: { keys: [] } } });
    const created = await vault.router.handle({
      method: "POST",
      path: "sys/namespaces/team-a",
      query: new URLSearchParams(),
      headers: { "x-vault-token": "root" },
      body: Buffer.alloc(0),
      remoteAddress: "127.0.0.1",
    });
    assert.equal(created.status, 200);
    try {
      fc.assert(
        fc.property(headerOf, pathOf, (header, path) => {
          let resolved;
          try {
            resolved = resolveVaultPath(header, path, namespaceSet(["team-a/"]));
          } catch {
            return;
          }
          const target = vault.router.locate(resolved.path);
          if (!target) return;
          assert.equal(target.namespace, resolved.namespace);
          const area = { system: "sys/", token: "auth/token/", identity: "identity/" }[target.backend.type];
          if (area) assert.ok(resolved.relative.startsWith(area), `${resolved.path} routed to ${target.backend.type}`);
        }),
        { numRuns: 2000 },
      );
    } finally {
      vault.close();
    }
  });
});
