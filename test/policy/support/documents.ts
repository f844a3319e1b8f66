// Tiny policy documents for tests: a project "payments" with dev, staging and a protected prod,
// two secrets, and grants built from a few fields. Every document is checked by the real loader,
// so a test never diffs something synth could not produce.
import assert from "node:assert/strict";
import type { GitHubOidcPrincipal, Grant, PolicyDocument, Project, SsoGroupPrincipal } from "../../../policy/document.ts";
import { parsePolicyDocument } from "../../../policy/load.ts";

export function repo(repository: string | undefined, claims: Record<string, string[]> = {}, options: Partial<Pick<GitHubOidcPrincipal, "match" | "audience" | "issuer">> = {}): GitHubOidcPrincipal {
  return {
    kind: "github-oidc",
    issuer: options.issuer ?? "github",
    audience: options.audience ?? "https://github.com/acme",
    claims: { ...(repository ? { repository: [repository] } : {}), ...claims },
    match: options.match ?? (Object.values(claims).flat().some((value) => value.includes("*")) || repository?.includes("*") ? "glob" : "exact"),
  };
}

export const onMain = (repository = "acme/app", claims: Record<string, string[]> = {}) => repo(repository, { ref: ["refs/heads/main"], ...claims });

export const sso = (group: string): SsoGroupPrincipal => ({ kind: "sso-group", group });

export function grant(id: string, fields: Partial<Grant> = {}): Grant {
  return {
    id,
    principal: onMain(),
    environment: "prod",
    paths: ["database"],
    capabilities: ["read"],
    tokenTtlSeconds: 600,
    tokenMaxTtlSeconds: 900,
    acknowledgements: [],
    ...fields,
  };
}

export function project(fields: Partial<Project> = {}): Project {
  return {
    name: "payments",
    environments: [
      { name: "dev", protected: false },
      { name: "prod", protected: true },
      { name: "staging", protected: false },
    ],
    secrets: [
      { name: "database", keys: ["password", "username"] },
      { name: "stripe", keys: ["key"], rotation: { maxAgeSeconds: 30 * 86_400, strategy: "manual" } },
    ],
    grants: [],
    ...fields,
  };
}

export function policy(...projects: Project[]): PolicyDocument {
  const document: PolicyDocument = {
    version: 1,
    backend: { type: "vault", mount: "secret", authPath: "jwt" },
    issuers: [{ name: "github", url: "https://token.actions.githubusercontent.com" }],
    projects,
  };
  const loaded = parsePolicyDocument(structuredClone(document));
  assert.ok(loaded.ok, `test document is invalid: ${loaded.ok ? "" : loaded.problems.join("; ")}`);
  return loaded.document;
}

/** A document with one project holding these grants (and optional project fields). */
export const withGrants = (grants: Grant[], fields: Partial<Project> = {}) => policy(project({ grants, ...fields }));
