// Policy escapes: a token granted read on one team's secrets tries every path trick to read another
// team's, through the dev backend's HTTP API; and the ACL matcher is checked against a small
// reference model on random policies and paths (fast-check).
import fc from "fast-check";
import { request } from "node:http";
import { launchDevBackend, type RunningDevBackend } from "../../../testkit/launch-dev-backend.ts";
import { devVaultAdmin, vaultCall } from "../../../testkit/admin/vault.ts";
import { capabilitiesOn } from "../../../dev/vault/core/acl.ts";
import type { Capability } from "../../../dev/vault/core/acl-policy-parse.ts";
import type { Attempt, Suite } from "../../report.ts";
import { referenceCapabilities, type ReferenceRule } from "./reference-acl.ts";

const canary = { mine: "team-a-value-7c1d", theirs: "team-b-CANARY-93fe", prefix: "team-admin-CANARY-41aa" };

/** Sends the path exactly as written (fetch and URL would normalise it first). */
function rawGet(addr: string, path: string, token: string): Promise<{ status: number; body: string; location: string | undefined }> {
  const { hostname, port } = new URL(addr);
  return new Promise((resolve, reject) => {
    const call = request({ host: hostname, port, method: "GET", path, headers: { "X-Vault-Token": token } }, (response) => {
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body, location: response.headers.location }));
    });
    call.on("error", reject);
    call.end();
  });
}

async function vault(backend: RunningDevBackend, method: string, path: string, body?: unknown): Promise<any> {
  return (await vaultCall(devVaultAdmin(backend.info), method, path, { body })).body;
}

const tricks = [
  "secret/data/team-a/../team-b/db",
  "secret/data/team-a/%2e%2e/team-b/db",
  "secret/data/team-a/%2E%2E/team-b/db",
  "secret/data/team-a/%252e%252e/team-b/db",
  "secret/data/team-a/..%2Fteam-b/db",
  "secret/data/team-a%2F..%2Fteam-b/db",
  "secret/data/team-a//../team-b/db",
  "secret/data//team-b/db",
  "secret/data/team-a/./../team-b/db",
  "secret/data/team-a/..\\team-b/db",
  "secret/data/team-b%2Fdb",
  "secret/data/team-b/db/",
  "secret/data/TEAM-B/db",
  "secret/data/team-\u2010b/db",
  "secret/data/te\u0430m-b/db",
  "secret/data/team-b/db%00",
  "secret/data/team-a%00/../team-b/db",
  "secret/data/team-admin",
  "secret/data/team-a-admin",
  "secret//data/team-b/db",
  "secret/data/team-a/db?version=1&path=../../team-b/db",
  "secret/data/team-a/db#../../team-b/db",
  "SECRET/data/team-b/db",
];

async function pathTricks(backend: RunningDevBackend): Promise<Attempt[]> {
  await vault(backend, "PUT", "sys/policies/acl/team-a", { policy: 'path "secret/data/team-a/*" { capabilities = ["read"] }' });
  await vault(backend, "POST", "secret/data/team-a/db", { data: { value: canary.mine } });
  await vault(backend, "POST", "secret/data/team-b/db", { data: { value: canary.theirs } });
  await vault(backend, "POST", "secret/data/team-admin", { data: { value: canary.prefix } });
  await vault(backend, "POST", "secret/data/team-a-admin", { data: { value: canary.prefix } });
  const token = String((await vault(backend, "POST", "auth/token/create", { policies: ["team-a"], ttl: "10m" })).auth.client_token);
  const attempts: Attempt[] = [];
  const control = await rawGet(backend.info.vault.addr, "/v1/secret/data/team-a/db", token);
  attempts.push({ tried: "control: secret/data/team-a/db", outcome: `HTTP ${control.status}`, held: control.status === 200 && control.body.includes(canary.mine), details: { status: String(control.status) } });
  for (const trick of tricks) {
    const encoded = trick.replace(/[^\x21-\x7e]/gu, (char) => encodeURIComponent(char));
    // Follow redirects (a cleaned path) with the token, as a client library would.
    let reply = await rawGet(backend.info.vault.addr, `/v1/${encoded}`, token);
    const statuses = [reply.status];
    for (let hops = 0; reply.status >= 300 && reply.status < 400 && reply.location && hops < 3; hops++) {
      reply = await rawGet(backend.info.vault.addr, new URL(reply.location, backend.info.vault.addr).pathname, token);
      statuses.push(reply.status);
    }
    const escaped = reply.body.includes(canary.theirs) || reply.body.includes(canary.prefix);
    attempts.push({ tried: `GET /v1/${encoded}`, outcome: escaped ? "read outside the grant" : `HTTP ${statuses.join(" → ")}, nothing outside the grant`, held: !escaped, details: { status: statuses.join(" → ") } });
  }
  return attempts;
}

const segments = ["a", "b", "ab", "+"];
const capabilitySets = [["read"], ["list"], ["read", "list"], ["deny"], ["create", "update"]];

const rule = fc.record({
  segments: fc.array(fc.constantFrom(...segments), { minLength: 1, maxLength: 4 }),
  glob: fc.boolean(),
  capabilities: fc.constantFrom(...capabilitySets),
}).map(({ segments: parts, glob, capabilities }): ReferenceRule => ({ pattern: `${parts.join("/")}${glob ? "*" : ""}`, capabilities }));

const path = fc.array(fc.constantFrom("a", "b", "ab", "abc", "c"), { minLength: 1, maxLength: 5 }).map((parts) => parts.join("/"));

function propertyCheck(runs: number): Attempt {
  let counterexample = "";
  try {
    fc.assert(fc.property(fc.array(fc.array(rule, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }), path, (policies, requestPath) => {
      const ours = capabilitiesOn(policies.map((rules, index) => ({ name: `p${index}`, rules: rules.map((r) => ({ pattern: r.pattern, capabilities: new Set(r.capabilities as Capability[]) })) })), requestPath);
      const reference = referenceCapabilities(policies.flat(), requestPath);
      const same = ours.size === reference.size && [...ours].every((capability) => reference.has(capability));
      if (!same) counterexample = `${JSON.stringify(policies)} on ${requestPath}: ours ${[...ours].join(",")}, reference ${[...reference].join(",")}`;
      return same;
    }), { numRuns: runs });
    return { tried: `ACL matcher vs reference model, ${runs} random policy sets and paths`, outcome: "always the same capabilities", held: true };
  } catch {
    return { tried: `ACL matcher vs reference model, ${runs} random policy sets and paths`, outcome: `differs: ${counterexample}`, held: false };
  }
}

export const policyEscapes: Suite = async ({ quick, log }) => {
  const backend = await launchDevBackend();
  try {
    const attempts = await pathTricks(backend);
    const runs = quick ? 500 : 20_000;
    attempts.push(propertyCheck(runs));
    log(`${tricks.length} path tricks, ${runs} property runs`);
    return {
      name: "Policy escapes",
      about: "A token whose only policy reads `secret/data/team-a/*` tries every path trick on the dev backend's HTTP API (raw, unnormalised request lines: `..` plain and percent-encoded once and twice, `//`, `%2F`, trailing slashes, case, unicode look-alikes, NUL, query and fragment tricks, prefix siblings such as `team-a-admin`) to read another team's canary; and the ACL matcher is compared with a small reference model written from Vault's documented rules, on random policy sets and paths (fast-check).",
      attempts,
      figures: { "path tricks": String(tricks.length), "random policy sets": String(runs) },
    };
  } finally {
    await backend.stop();
  }
};
