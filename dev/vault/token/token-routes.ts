// auth/token/: a token's self-service (lookup-self, renew-self, revoke-self, granted by the
// `default` policy), the administrative create, lookup and revoke (root or sudo only), and the
// accessor endpoints an operator uses to find and cut off tokens without holding them: listing
// accessors is root-protected in Vault; looking up and revoking by accessor take the policy's update.
import * as z from "zod";
import type { Backend, RequestContext } from "../core/backend.ts";
import type { VaultResult } from "../core/envelope.ts";
import { badRequest, VaultError } from "../core/errors.ts";
import { parseFields, vaultBool, vaultDuration, vaultInt, vaultStringList, vaultStringMap } from "../core/fields.ts";
import type { TokenEntry, TokenStore } from "./token-store.ts";

const renewFields = z.object({ increment: vaultDuration.optional() });
const tokenField = z.object({ token: z.string().optional() });
const accessorField = z.object({ accessor: z.string().optional() });
const createFields = z.object({
  policies: vaultStringList.optional(),
  meta: vaultStringMap.optional(),
  no_default_policy: vaultBool.optional(),
  ttl: vaultDuration.optional(),
  explicit_max_ttl: vaultDuration.optional(),
  display_name: z.string().optional(),
  num_uses: vaultInt.optional(),
  renewable: vaultBool.optional(),
  type: z.string().optional(),
});

/** The caller's own entry; the router has already authenticated it. */
function caller(request: RequestContext): { token: string; entry: TokenEntry } {
  return { token: request.presentedToken!, entry: request.token! };
}

type CreateFields = z.infer<typeof createFields>;

/** A child token's policies: its parent's unless given, and root only from a root parent. */
function childPolicies(fields: CreateFields, parent: TokenEntry): string[] {
  // Without explicit policies a child token inherits its parent's.
  const policies = fields.policies ?? parent.policies.filter((name) => name !== "default");
  if (policies.some((name) => name.toLowerCase() === "root") && !parent.policies.includes("root")) {
    throw badRequest("root tokens may not be created without parent token being root");
  }
  return policies;
}

function createToken(tokens: TokenStore, request: RequestContext): VaultResult {
  const fields = parseFields(createFields, request.data, request.warn);
  if (fields.type !== undefined && fields.type !== "service") {
    throw badRequest(`token type "${fields.type}" is not supported by keybridge dev: it issues service tokens only`);
  }
  const policies = childPolicies(fields, caller(request).entry);
  if ((fields.num_uses ?? 0) < 0) throw badRequest("number of uses cannot be negative");
  const display = (fields.display_name ?? "").trim();
  const { token, entry } = tokens.issue({
    policies,
    noDefaultPolicy: fields.no_default_policy ?? false,
    meta: fields.meta ?? null,
    displayName: display === "" ? "token" : `token-${display}`,
    path: "auth/token/create",
    namespace: request.namespace,
    ttl: fields.ttl ?? 0,
    explicitMaxTtl: fields.explicit_max_ttl ?? 0,
    renewable: fields.renewable ?? true,
    numUses: fields.num_uses ?? 0,
  });
  return { auth: tokens.authBlock(token, entry) };
}

/** The token named in the body; one issued outside the request's namespace is not found from it. */
function otherToken(tokens: TokenStore, request: RequestContext): { token: string; entry: TokenEntry | undefined } {
  const { token } = parseFields(tokenField, request.data, request.warn);
  if (!token) throw badRequest("missing token");
  const entry = tokens.lookup(token);
  return { token, entry: entry?.namespace.startsWith(request.namespace) ? entry : undefined };
}

function renewSelf(tokens: TokenStore, request: RequestContext): VaultResult {
  const { increment } = parseFields(renewFields, request.data, request.warn);
  const { token, entry } = caller(request);
  const { warnings } = tokens.renew(entry, increment ?? 0);
  return { auth: tokens.authBlock(token, entry), warnings };
}

function lookupOther(tokens: TokenStore, request: RequestContext): VaultResult {
  const { token, entry } = otherToken(tokens, request);
  if (!entry) throw new VaultError(403, ["bad token"]);
  return { data: tokens.lookupData(token, entry) };
}

/** The token named by the accessor in the body; Vault answers an unknown one with 400 "invalid accessor". */
function tokenByAccessor(tokens: TokenStore, request: RequestContext): TokenEntry {
  const { accessor } = parseFields(accessorField, request.data, request.warn);
  if (!accessor) throw badRequest("missing accessor");
  const entry = tokens.byAccessor(request.namespace, accessor);
  if (!entry) throw badRequest("invalid accessor");
  return entry;
}

export function createTokenRoutes(tokens: TokenStore): Backend {
  return {
    type: "token",
    routes: [
      { pattern: /^lookup-self$/, read: (request) => ({ data: tokens.lookupData(caller(request).token, caller(request).entry) }) },
      { pattern: /^renew-self$/, write: (request) => renewSelf(tokens, request) },
      { pattern: /^revoke-self$/, write: (request) => void tokens.revoke(caller(request).entry) },
      { pattern: /^create$/, sudo: true, write: (request) => createToken(tokens, request) },
      { pattern: /^lookup$/, sudo: true, write: (request) => lookupOther(tokens, request) },
      { pattern: /^accessors\/?$/, sudo: true, list: (request) => ({ data: { keys: tokens.accessors(request.namespace) } }) },
      {
        pattern: /^lookup-accessor$/,
        // The accessor's owner may not learn the token from it: `id` stays empty, as in Vault.
        write: (request) => ({ data: tokens.lookupData("", tokenByAccessor(tokens, request)) }),
      },
      { pattern: /^revoke-accessor$/, write: (request) => void tokens.revoke(tokenByAccessor(tokens, request)) },
      {
        pattern: /^revoke$/,
        sudo: true,
        write: (request) => {
          const { entry } = otherToken(tokens, request);
          if (entry) tokens.revoke(entry);
          return undefined;
        },
      },
    ],
  };
}
