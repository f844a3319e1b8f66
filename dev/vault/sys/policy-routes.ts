// sys/policy/<name> and sys/policies/acl/<name>: read, write, delete and list ACL policies.
import * as z from "zod";
import type { Route, RequestContext } from "../core/backend.ts";
import { badRequest } from "../core/errors.ts";
import { parseFields } from "../core/fields.ts";
import { parsePolicy, PolicyParseError } from "../core/acl-policy-parse.ts";
import type { PolicyStore } from "./policy-store.ts";

const policyFields = z.object({ policy: z.string().optional(), rules: z.string().optional() });

export function sysPolicyRoutes(policies: PolicyStore): Route[] {
  function write(request: RequestContext): undefined {
    const name = request.params.name!.toLowerCase();
    const fields = parseFields(policyFields, request.data, request.warn);
    const text = fields.policy ?? fields.rules ?? "";
    if (name === "root") throw badRequest("cannot update root policy");
    if (text.trim() === "") throw badRequest("'policy' parameter not supplied or empty");
    try {
      policies.put(name, text, parsePolicy(text));
    } catch (error) {
      if (error instanceof PolicyParseError) throw badRequest(`failed to parse policy: ${error.message}`);
      throw error;
    }
    return undefined;
  }

  function remove(request: RequestContext): undefined {
    const name = request.params.name!.toLowerCase();
    if (name === "root" || name === "default") throw badRequest(`cannot delete ${name} policy`);
    policies.delete(name);
    return undefined;
  }

  /** The legacy sys/policy answers `rules`, sys/policies/acl answers `policy`. */
  const read = (field: "rules" | "policy") => (request: RequestContext) => {
    const policy = policies.get(request.params.name!);
    return policy ? { data: { name: policy.name, [field]: policy.text } } : undefined;
  };

  return [
    { pattern: /^policy\/?$/, rootNamespaceOnly: true, read: () => ({ data: { keys: policies.names(), policies: policies.names() } }) },
    { pattern: /^policy\/(?<name>.+)$/, rootNamespaceOnly: true, read: read("rules"), write, delete: remove },
    { pattern: /^policies\/acl\/?$/, rootNamespaceOnly: true, list: () => ({ data: { keys: policies.names() } }) },
    { pattern: /^policies\/acl\/(?<name>.+)$/, rootNamespaceOnly: true, read: read("policy"), write, delete: remove },
  ];
}
