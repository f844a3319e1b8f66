// Base and head policy documents for the plan benchmark, with exactly `changed` grants that differ:
// projects of 20 grants over dev, staging and a protected prod, every grant changed in one of five
// ways (token lifetime raised; ref widened to a glob, or write access given to an SSO group; paths
// widened to everything; removed; added), with principals of every kind. `long` makes every name
// and reason long, to check that the comment stays bounded whatever the input.
import type { Grant, PolicyDocument, Principal, Project } from "../../policy/document.ts";
import { parsePolicyDocument } from "../../policy/load.ts";

const grantsPerProject = 20;

function principal(project: string, slot: number, long: boolean): Principal {
  const pad = long ? `-${"x".repeat(180)}` : "";
  switch (slot % 3) {
    case 0:
      return { kind: "github-oidc", issuer: "github", audience: "https://github.com/acme", match: "exact", claims: { repository: [`acme/${project}${pad}`], ref: ["refs/heads/main"], runner_environment: ["self-hosted"] } };
    case 1:
      return { kind: "github-oidc", issuer: "github", audience: "https://github.com/acme", match: "glob", claims: { repository: [`acme/${project}-tools${pad}`], ref: ["refs/tags/v*"], environment: ["prod"] } };
    default:
      return { kind: "sso-group", group: `okta:${project}-admins${pad}` };
  }
}

function grant(project: string, slot: number, long: boolean): Grant {
  const environments = ["dev", "staging", "prod"];
  return {
    id: `g${String(slot).padStart(2, "0")}`,
    principal: principal(project, slot, long),
    environment: environments[slot % 3]!,
    paths: slot % 2 === 0 ? ["database"] : ["api/*"],
    capabilities: slot % 3 === 2 ? ["read", "list", "write"] : ["read"],
    tokenTtlSeconds: 600,
    tokenMaxTtlSeconds: 900,
    acknowledgements: long ? [{ rule: "KB114", reason: `accepted for the benchmark ${"y".repeat(300)}` }] : [],
  };
}

/** How the head differs from the base, by slot: every slot is one changed grant. */
function change(base: Grant, slot: number): Grant | undefined {
  switch (slot % 5) {
    case 0:
      return { ...base, tokenTtlSeconds: 3600, tokenMaxTtlSeconds: 7200 };
    case 1:
      return base.principal.kind === "github-oidc"
        ? { ...base, principal: { ...base.principal, match: "glob", claims: { ...base.principal.claims, ref: ["refs/heads/*"] } } }
        : { ...base, capabilities: ["read", "list", "write", "delete"] };
    case 2:
      return { ...base, paths: ["*"] };
    case 3:
      return undefined; // removed
    default:
      return base; // stands for the slot's added grant, which only the head has
  }
}

function project(index: number, grants: Grant[]): Project {
  return {
    name: `p${String(index).padStart(4, "0")}`,
    environments: [
      { name: "dev", protected: false },
      { name: "prod", protected: true },
      { name: "staging", protected: false },
    ],
    secrets: [
      { name: "api/signing", keys: ["private_key"], rotation: { maxAgeSeconds: 7 * 86_400, strategy: "backend" } },
      { name: "api/stripe", keys: ["api_key"], rotation: { maxAgeSeconds: 30 * 86_400, strategy: "manual" } },
      { name: "database", keys: ["password", "username"] },
    ],
    grants,
  };
}

function documentOf(projects: Project[]): PolicyDocument {
  const raw: PolicyDocument = {
    version: 1,
    backend: { type: "vault", mount: "secret", authPath: "jwt" },
    issuers: [{ name: "github", url: "https://token.actions.githubusercontent.com" }],
    projects,
  };
  const loaded = parsePolicyDocument(raw);
  if (!loaded.ok) throw new Error(`the generated policy document is invalid: ${loaded.problems.slice(0, 3).join("; ")}`);
  return loaded.document;
}

export function planDocuments(changed: number, long = false): { base: PolicyDocument; head: PolicyDocument } {
  const baseProjects: Project[] = [];
  const headProjects: Project[] = [];
  for (let p = 0, slot = 0; slot < changed; p++) {
    const name = `p${String(p).padStart(4, "0")}`;
    const base: Grant[] = [];
    const head: Grant[] = [];
    for (let s = 0; s < grantsPerProject && slot < changed; s++, slot++) {
      const original = grant(name, s, long);
      if (s % 5 === 4) {
        const newcomer: Principal = { kind: "github-oidc", issuer: "github", audience: "https://github.com/acme", match: "exact", claims: { repository: [`acme/${name}-service-${s}`], ref: ["refs/heads/main"], runner_environment: ["self-hosted"] } };
        head.push({ ...original, id: `new-${original.id}`, principal: newcomer });
        continue;
      }
      base.push(original);
      const next = change(original, s);
      if (next) head.push(next);
    }
    baseProjects.push(project(p, base));
    headProjects.push(project(p, head));
  }
  return { base: documentOf(baseProjects), head: documentOf(headProjects) };
}
