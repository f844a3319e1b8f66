import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { changeKinds, diffPolicies, isChange, type ChangeKind, type ChangeOf, type PolicyChange } from "../../policy/diff/index.ts";
import type { PolicyDocument } from "../../policy/document.ts";
import { loadPolicyDocument } from "../../policy/load.ts";
import { plainText } from "../../policy/phrase.ts";
import { grant, onMain, policy, project, repo, sso, withGrants } from "./support/documents.ts";

const kinds = (changes: readonly PolicyChange[]) => changes.map((change) => change.kind);
const summaries = (changes: readonly PolicyChange[]) => changes.map((change) => plainText(change.summary));
const only = <K extends ChangeKind>(changes: readonly PolicyChange[], kind: K) => {
  const found = changes.filter((change): change is ChangeOf<K> => isChange(change, kind));
  assert.equal(found.length, 1, `expected one ${kind}, got: ${kinds(changes).join(", ")}`);
  return found[0]!;
};

const reader = grant("app-prod-read");

/** One scenario per change kind: base, head, and the kinds the diff must report, in order. */
const scenarios: Array<{ name: string; base: PolicyDocument; head: PolicyDocument; expect: ChangeKind[] }> = [
  { name: "a project added", base: policy(), head: withGrants([]), expect: ["project.added"] },
  { name: "a project removed", base: withGrants([]), head: policy(), expect: ["project.removed"] },
  {
    name: "an environment added and one removed",
    base: policy(project()),
    head: policy(project({ environments: [{ name: "dev", protected: false }, { name: "prod", protected: true }, { name: "qa", protected: false }] })),
    expect: ["environment.added", "environment.removed"],
  },
  {
    name: "an environment protected and one unprotected",
    base: policy(project()),
    head: policy(project({ environments: [{ name: "dev", protected: true }, { name: "prod", protected: false }, { name: "staging", protected: false }] })),
    expect: ["environment.protected", "environment.unprotected"],
  },
  {
    name: "a secret added, one removed, keys changed",
    base: policy(project()),
    head: policy(project({ secrets: [{ name: "database", keys: ["password"] }, { name: "api/token", keys: ["token"] }] })),
    expect: ["secret.added", "secret.keys-changed", "secret.removed"],
  },
  {
    name: "rotation added and removed",
    base: policy(project()),
    head: policy(project({ secrets: [{ name: "database", keys: ["password", "username"], rotation: { maxAgeSeconds: 86_400, strategy: "backend" } }, { name: "stripe", keys: ["key"] }] })),
    expect: ["rotation.added", "rotation.removed"],
  },
  {
    name: "rotation relaxed, and its strategy changed",
    base: policy(project()),
    head: policy(project({ secrets: [{ name: "database", keys: ["password", "username"] }, { name: "stripe", keys: ["key"], rotation: { maxAgeSeconds: 90 * 86_400, strategy: "backend" } }] })),
    expect: ["rotation.relaxed", "rotation.strategy-changed"],
  },
  {
    name: "rotation tightened",
    base: policy(project()),
    head: policy(project({ secrets: [{ name: "database", keys: ["password", "username"] }, { name: "stripe", keys: ["key"], rotation: { maxAgeSeconds: 7 * 86_400, strategy: "manual" } }] })),
    expect: ["rotation.tightened"],
  },
  { name: "a grant added", base: withGrants([]), head: withGrants([reader]), expect: ["access.granted"] },
  { name: "a grant removed", base: withGrants([reader]), head: withGrants([]), expect: ["access.revoked"] },
  { name: "a grant renamed", base: withGrants([reader]), head: withGrants([{ ...reader, id: "app-prod-database" }]), expect: ["grant.renamed"] },
  {
    name: "a ref widened from exact to glob",
    base: withGrants([reader]),
    head: withGrants([{ ...reader, principal: repo("acme/app", { ref: ["refs/heads/*"] }) }]),
    expect: ["principal.widened"],
  },
  {
    name: "a principal narrowed (runner pinned)",
    base: withGrants([reader]),
    head: withGrants([{ ...reader, principal: onMain("acme/app", { runner_environment: ["self-hosted"] }) }]),
    expect: ["principal.narrowed"],
  },
  { name: "write gained", base: withGrants([reader]), head: withGrants([{ ...reader, capabilities: ["read", "write"] }]), expect: ["access.widened"] },
  { name: "a path lost", base: withGrants([{ ...reader, paths: ["database", "stripe"] }]), head: withGrants([reader]), expect: ["access.narrowed"] },
  {
    name: "a grant written differently with the same effect",
    base: withGrants([{ ...reader, environment: "dev", paths: ["database", "stripe"] }]),
    head: withGrants([{ ...reader, environment: "dev", paths: ["*"] }]),
    expect: ["grant.reworded"],
  },
  {
    name: "token lifetimes longer",
    base: withGrants([reader]),
    head: withGrants([{ ...reader, tokenTtlSeconds: 43_200, tokenMaxTtlSeconds: 86_400 }]),
    expect: ["token-ttl.increased", "token-max-ttl.increased"],
  },
  {
    name: "token lifetimes shorter",
    base: withGrants([reader]),
    head: withGrants([{ ...reader, tokenTtlSeconds: 300, tokenMaxTtlSeconds: 600 }]),
    expect: ["token-ttl.decreased", "token-max-ttl.decreased"],
  },
  {
    name: "an acknowledgement added and one removed",
    base: withGrants([{ ...reader, acknowledgements: [{ rule: "KB114", reason: "hosted runners only for this repository" }] }]),
    head: withGrants([{ ...reader, acknowledgements: [{ rule: "KB109", reason: "long batch job, token revoked in post" }] }]),
    expect: ["acknowledgement.added", "acknowledgement.removed"],
  },
];

function issuerScenario(): { base: PolicyDocument; head: PolicyDocument } {
  const base = policy();
  const head = structuredClone(base);
  head.backend = { type: "vault", mount: "kv", authPath: "jwt" };
  head.issuers = [{ name: "github", url: "https://ghe.example.com/_services/token" }, { name: "ghe", url: "https://ghe.example.com/_services/token" }];
  base.issuers.push({ name: "old", url: "https://old.example.com" });
  return { base, head };
}

describe("diffPolicies", () => {
  for (const scenario of scenarios) {
    it(`reports ${scenario.name}`, () => {
      assert.deepEqual(kinds(diffPolicies(scenario.base, scenario.head)), scenario.expect);
    });
  }

  it("reports backend and issuer changes", () => {
    const { base, head } = issuerScenario();
    assert.deepEqual(kinds(diffPolicies(base, head)), ["backend.changed", "issuer.added", "issuer.url-changed", "issuer.removed"]);
  });

  it("has a scenario for every change kind", () => {
    const covered = new Set([...scenarios.flatMap((scenario) => scenario.expect), ...kinds(diffPolicies(issuerScenario().base, issuerScenario().head))]);
    assert.deepEqual(changeKinds.filter((kind) => !covered.has(kind)), []);
  });

  it("reports no change for documents that differ only in order", () => {
    const text = readFileSync(new URL("../provider/__snapshots__/ml-training.policy.json", import.meta.url), "utf8");
    const loaded = loadPolicyDocument(text);
    assert.ok(loaded.ok);
    const shuffled = structuredClone(loaded.document);
    const p = shuffled.projects[0]!;
    p.environments.reverse();
    p.secrets.reverse();
    p.grants.reverse();
    for (const g of p.grants) {
      g.capabilities.reverse();
      if (g.principal.kind === "github-oidc") g.principal.claims = Object.fromEntries(Object.entries(g.principal.claims).reverse());
    }
    assert.deepEqual(diffPolicies(loaded.document, shuffled), []);
  });

  it("reports a renamed grant as one rename, never as remove + add", () => {
    const base = withGrants([reader, grant("dev-read", { environment: "dev" })]);
    const head = withGrants([{ ...reader, id: "zz-prod-read" }, grant("dev-read", { environment: "dev" })]);
    const changes = diffPolicies(base, head);
    assert.deepEqual(kinds(changes), ["grant.renamed"]);
    const rename = only(changes, "grant.renamed");
    assert.deepEqual([rename.idBefore, rename.idAfter, rename.grant], ["app-prod-read", "zz-prod-read", "zz-prod-read"]);
  });

  it("matches a grant by id, then by principal and environment, so a widened grant reads as changed", () => {
    const widenedUnderNewId = withGrants([{ ...reader, id: "app-prod", capabilities: ["read", "list"], paths: ["*"] }]);
    const changes = diffPolicies(withGrants([reader]), widenedUnderNewId);
    assert.deepEqual(kinds(changes), ["grant.renamed", "access.widened"]);
    const widened = only(changes, "access.widened");
    assert.equal(plainText(widened.before), "read on payments/prod/database");
    assert.equal(plainText(widened.after), "read and list on payments/prod/*");
    assert.equal(plainText(widened.summary), "acme/app on refs/heads/main may now list payments/prod/database; read and list payments/prod/stripe (grant app-prod)");
  });

  it("expands a \"*\" environment and path against what the project declares", () => {
    const changes = diffPolicies(withGrants([]), withGrants([grant("all", { environment: "*", paths: ["*"], principal: sso("okta:admins") })]));
    const granted = only(changes, "access.granted");
    assert.deepEqual(
      granted.access.map((entry) => `${entry.environment}/${entry.secret}${entry.protected ? " (protected)" : ""}`),
      ["dev/database", "dev/stripe", "prod/database (protected)", "prod/stripe (protected)", "staging/database", "staging/stripe"],
    );
    assert.equal(plainText(granted.after), "read on payments/*/*", "the grant's own wording is kept");
  });

  it("names a new secret precisely when an existing folder glob now covers it", () => {
    const folder = grant("api-read", { environment: "dev", paths: ["api/*"] });
    const secrets = [{ name: "api/stripe", keys: ["key"] }];
    const base = withGrants([folder], { secrets });
    const head = withGrants([folder], { secrets: [...secrets, { name: "api/webhook", keys: ["secret"] }] });
    const changes = diffPolicies(base, head);
    assert.deepEqual(kinds(changes), ["secret.added", "access.widened"]);
    assert.match(plainText(only(changes, "access.widened").summary), /may now read payments\/dev\/api\/webhook \(grant api-read\)$/);
    assert.equal(plainText(only(changes, "access.widened").after), "read on payments/dev/api/*");
  });

  it("reports what a removed grant's principal really loses, net of its other grants", () => {
    const wide = grant("app-all", { environment: "*", paths: ["*"] });
    const changes = diffPolicies(withGrants([reader, wide]), withGrants([wide]));
    assert.deepEqual(kinds(changes), ["access.revoked"]);
    assert.equal(only(changes, "access.revoked").access.length, 0);
    assert.equal(summaries(changes)[0], "grant app-prod-read removed; acme/app keeps its access through other grants");
  });

  it("reports a removed grant in the grant's own words", () => {
    const changes = diffPolicies(withGrants([grant("old", { principal: repo("acme/old-service"), environment: "staging", paths: ["*"] })]), withGrants([]));
    assert.equal(summaries(changes)[0], "acme/old-service loses read on payments/staging/* (grant old removed)");
  });

  it("compares claim constraints: wider, narrower, or different", () => {
    const cases: Array<[string, Record<string, string[]>, Record<string, string[]>, string]> = [
      ["exact ref to a glob", { ref: ["refs/heads/main"] }, { ref: ["refs/heads/*"] }, "ref:wider"],
      ["a glob to a wider glob", { ref: ["refs/heads/release-*"] }, { ref: ["refs/heads/*"] }, "ref:wider"],
      ["a glob to a narrower glob", { ref: ["refs/*"] }, { ref: ["refs/tags/*"] }, "ref:narrower"],
      ["environment binding dropped", { environment: ["prod"] }, {}, "environment:wider"],
      ["pull_request added to the events", { event_name: ["push"] }, { event_name: ["push", "pull_request"] }, "event_name:wider"],
      ["runner no longer pinned", { runner_environment: ["self-hosted"] }, {}, "runner_environment:wider"],
      ["job_workflow_ref dropped", { job_workflow_ref: ["acme/deploy/.github/workflows/deploy.yml@refs/heads/main"] }, {}, "job_workflow_ref:wider"],
      ["another branch", { ref: ["refs/heads/main"] }, { ref: ["refs/heads/dev"] }, "ref:different"],
    ];
    for (const [name, before, after, expected] of cases) {
      const changes = diffPolicies(withGrants([{ ...reader, principal: repo("acme/app", before) }]), withGrants([{ ...reader, principal: repo("acme/app", after) }]));
      const change = changes.find((c) => c.kind === "principal.widened" || c.kind === "principal.narrowed");
      assert.ok(change && "constraints" in change, `${name}: no principal change (${kinds(changes).join(", ")})`);
      assert.deepEqual(change.constraints.map((c) => `${c.constraint}:${c.comparison}`), [expected], name);
    }
  });

  it("reports a repository widened to a wildcard or an organization, and an audience changed", () => {
    const toWildcard = diffPolicies(withGrants([reader]), withGrants([{ ...reader, principal: repo("acme/*", { ref: ["refs/heads/main"] }) }]));
    assert.deepEqual(only(toWildcard, "principal.widened").constraints.map((c) => `${c.constraint}:${c.comparison}`), ["repository:wider"]);
    const toOrganization = diffPolicies(withGrants([reader]), withGrants([{ ...reader, principal: repo(undefined, { repository_owner: ["acme"], ref: ["refs/heads/main"] }) }]));
    assert.deepEqual(only(toOrganization, "principal.widened").constraints.map((c) => `${c.constraint}:${c.comparison}`), ["repository:wider", "repository_owner:narrower"]);
    const audience = diffPolicies(withGrants([reader]), withGrants([{ ...reader, principal: repo("acme/app", { ref: ["refs/heads/main"] }, { audience: "vault" }) }]));
    assert.deepEqual(only(audience, "principal.widened").constraints.map((c) => `${c.constraint}:${c.comparison}`), ["audience:different"]);
  });

  it("reports acknowledgements of a new grant", () => {
    const acknowledged = grant("batch", { acknowledgements: [{ rule: "KB109", reason: "nightly batch runs for 3 hours" }] });
    assert.deepEqual(kinds(diffPolicies(withGrants([]), withGrants([acknowledged]))), ["access.granted", "acknowledgement.added"]);
  });

  it("orders changes the same way whatever the declaration order", () => {
    const grants = [reader, grant("b", { environment: "dev", paths: ["*"] }), grant("a", { principal: sso("okta:ops"), capabilities: ["read", "list"] })];
    const base = policy(project({ name: "zeta" }), project({ name: "alpha" }));
    const head = policy(project({ name: "zeta", grants: [...grants].reverse() }), project({ name: "alpha", grants }));
    const reversed = policy(project({ name: "alpha", grants: [...grants].reverse() }), project({ name: "zeta", grants }));
    const changes = diffPolicies(base, head);
    assert.deepEqual(changes, diffPolicies(base, reversed));
    assert.deepEqual(changes.map((change) => `${change.project}:${change.grant}`), ["alpha:a", "alpha:app-prod-read", "alpha:b", "zeta:a", "zeta:app-prod-read", "zeta:b"]);
  });
});

describe("a grant id taken over by another holder", () => {
  it("reports the old holder losing access and the new one gaining it, not a widened principal", () => {
    const base = withGrants([grant("admins", { principal: sso("okta:admins") })]);
    const head = withGrants([grant("admins", { principal: sso("okta:contractors") })]);
    assert.deepEqual(kinds(diffPolicies(base, head)).sort(), ["access.granted", "access.revoked"]);
  });

  it("still reports a repository widened to a glob as the same grant, widened", () => {
    const base = withGrants([grant("ci", { principal: onMain("acme/app") })]);
    const head = withGrants([grant("ci", { principal: onMain("acme/*") })]);
    assert.ok(kinds(diffPolicies(base, head)).includes("principal.widened"));
  });
});
