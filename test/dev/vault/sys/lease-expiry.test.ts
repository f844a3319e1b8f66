// The lease store against the token store, without HTTP: a lease dies with its token (revoked,
// used up or expired) and at its own TTL, both when it is next asked about and through the sweep
// that the Vault assembly runs on a timer; and that timer never keeps a process alive.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { TokenStore } from "../../../../dev/vault/token/token-store.ts";
import { LeaseStore } from "../../../../dev/vault/sys/leases.ts";

function stores() {
  const clock = { ms: Date.UTC(2025, 5, 1) };
  const tokens = new TokenStore(() => clock.ms);
  const leases = new LeaseStore(() => clock.ms, tokens);
  const advance = (seconds: number) => (clock.ms += seconds * 1000);
  return { tokens, leases, advance };
}

const spec = { path: "database/creds/app", namespace: "", ttl: 60, maxTtl: 300, renewable: true };

describe("lease store", () => {
  it("revokes a token's leases when the token is revoked or used up, and only those", () => {
    const { tokens, leases } = stores();
    const owner = tokens.issue({ policies: [], displayName: "t", path: "auth/token/create", ttl: 3600 });
    const limited = tokens.issue({ policies: [], displayName: "t", path: "auth/token/create", ttl: 3600, numUses: 1 });
    const other = tokens.issue({ policies: [], displayName: "t", path: "auth/token/create", ttl: 3600 });
    const mine = leases.issue({ ...spec, owner: owner.entry });
    const used = leases.issue({ ...spec, owner: limited.entry });
    const theirs = leases.issue({ ...spec, owner: other.entry });
    tokens.revoke(owner.entry);
    tokens.consumeUse(limited.entry);
    assert.equal(leases.lookup("", mine.id), undefined);
    assert.equal(leases.lookup("", used.id), undefined);
    assert.ok(leases.lookup("", theirs.id));
  });

  it("sweeps the leases of a token that expired, without anyone asking about either", () => {
    const { tokens, leases, advance } = stores();
    const owner = tokens.issue({ policies: [], displayName: "t", path: "auth/token/create", ttl: 10 });
    const lease = leases.issue({ ...spec, owner: owner.entry });
    advance(10);
    tokens.sweep();
    // Back before the expiry: only the sweep can have removed the lease by now.
    advance(-5);
    assert.equal(leases.lookup("", lease.id), undefined);
    assert.equal(tokens.lookup("any"), undefined);
  });

  it("sweeps a lease at its own TTL, and answers its renewal capped by the max TTL", () => {
    const { leases, advance } = stores();
    const lease = leases.issue({ ...spec, owner: undefined });
    advance(50);
    assert.deepEqual(leases.renew("", lease.id, 0), { id: lease.id, ttl: 60, renewable: true, warnings: [] });
    advance(50);
    assert.equal(leases.renew("", lease.id, 120).ttl, 120);
    advance(100);
    const capped = leases.renew("", lease.id, 120);
    assert.equal(capped.ttl, 100);
    assert.deepEqual(capped.warnings, ['TTL of "2m0s" exceeded the effective max_ttl of "1m40s"; TTL value is capped accordingly']);
    advance(100);
    leases.sweep();
    advance(-10);
    assert.equal(leases.lookup("", lease.id), undefined);
  });

  it("keeps leases of different namespaces apart", () => {
    const { leases } = stores();
    const lease = leases.issue({ ...spec, namespace: "team-a/", owner: undefined });
    assert.equal(leases.lookup("", lease.id), undefined);
    assert.ok(leases.lookup("team-a/", lease.id));
    leases.revokePrefix("", "database/");
    assert.ok(leases.lookup("team-a/", lease.id));
  });

  it("runs its sweep on a timer that does not keep the process alive", () => {
    const vaultModule = fileURLToPath(new URL("../../../../dev/vault/vault.ts", import.meta.url));
    const script = `const { createVault } = await import(${JSON.stringify(vaultModule)});
createVault({ now: Date.now, rootToken: "hvs.root", local: { discoveryUrls: new Set(), jwksUrls: new Set(), jwks: { keys: [] } } });
console.log("created");`;
    const result = spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), "--input-type=module", "-e", script], { encoding: "utf8", timeout: 15_000 });
    assert.equal(result.signal, null, "the process had to be killed: something kept it alive");
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), "created");
  });
});
