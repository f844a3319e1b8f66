// The `keybridge/policy` entry: the policy document (schema, parse, canonical form) and plans of
// a change between two documents (build, render). Pure: no IO.
export {
  documentVersion, capabilities, PolicyDocument, Principal, GitHubOidcPrincipal, SsoGroupPrincipal, Grant, Secret,
  Environment, Project, Issuer, Rotation, Acknowledgement, VaultTarget, InfisicalTarget, type Capability,
} from "./document.ts";
export { parsePolicyDocument, loadPolicyDocument, type LoadResult } from "./load.ts";
export { canonicalize, serializePolicyDocument } from "./canonical.ts";
export { buildPlan, PlanInputError, type Plan, type PlanInput, type PlanCounts } from "./plan.ts";
export { renderMarkdown, renderText, renderJson, planJsonSchema, type MarkdownOptions, type TextOptions } from "./render/index.ts";
export { levels, atLeast, isLevel, type Level } from "./risk/level.ts";
