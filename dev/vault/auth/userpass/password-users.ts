// The userpass method, and keybridge dev's LDAP method, at one mount: users with a password and
// token settings, and login at login/<name> with {password}. Vault's LDAP method asks a directory;
// keybridge dev has none, so its LDAP users are declared like userpass users (with a password,
// through vault_generic_endpoint or the API) and LDAP groups map to policies as in Vault.
// Passwords are kept as scrypt hashes, never as given.
import { randomBytes, scryptSync, timingSafeEqual } from "node:crypto";
import * as z from "zod";
import type { Backend, RequestContext, Route } from "../../core/backend.ts";
import { badRequest } from "../../core/errors.ts";
import { parseFields, vaultStringList } from "../../core/fields.ts";
import { applyTokenFields, noTokenSettings, tokenFields, tokenSettingsData, type TokenSettings } from "../../token/token-settings.ts";
import { issueLoginToken, type AuthMountOptions } from "../login-token.ts";
import { memoryScope, plainCodec } from "../../../persist/state-scope.ts";

interface PasswordUser {
  readonly salt: string;
  readonly hash: string;
  readonly settings: TokenSettings;
  /** LDAP: the groups the user is in. */
  readonly groups: readonly string[];
}

const userFields = z.object({ password: z.string().nullish(), groups: vaultStringList.nullish(), ...tokenFields, policies: vaultStringList.nullish() });
const groupFields = z.object({ policies: vaultStringList.nullish() });
const loginFields = z.object({ password: z.string().nullish() });
const name = String.raw`(?<name>[\w.@-]+)`;

function hashed(password: string, salt = randomBytes(16).toString("hex")): { salt: string; hash: string } {
  return { salt, hash: scryptSync(password, salt, 32).toString("hex") };
}

function passwordMatches(user: PasswordUser, password: string): boolean {
  const given = Buffer.from(hashed(password, user.salt).hash, "hex");
  return timingSafeEqual(given, Buffer.from(user.hash, "hex"));
}

export function createPasswordAuth(options: AuthMountOptions, kind: "userpass" | "ldap"): Backend {
  const state = options.state ?? memoryScope;
  const users = state.map<PasswordUser>("users", plainCodec());
  const groups = state.map<readonly string[]>("groups", plainCodec());
  const config = state.map<Record<string, unknown>>("config", plainCodec());
  const userName = (request: RequestContext) => request.params.name!.toLowerCase();

  function writeUser(request: RequestContext): undefined {
    const fields = parseFields(userFields, request.data, request.warn);
    const existing = users.get(userName(request));
    const password = fields.password ?? undefined;
    if (!existing && !password) throw badRequest(kind === "userpass" ? "missing password" : "missing password: keybridge dev's LDAP users carry their password (it has no directory)");
    const settings = applyTokenFields(fields, { token_policies: "policies" }, existing?.settings ?? noTokenSettings);
    const credentials = password ? hashed(password) : { salt: existing!.salt, hash: existing!.hash };
    users.set(userName(request), { ...credentials, settings, groups: fields.groups ?? existing?.groups ?? [] });
    return undefined;
  }

  function login(request: RequestContext) {
    const { password } = parseFields(loginFields, request.data, request.warn);
    if (!password) throw badRequest("missing password");
    const user = users.get(userName(request));
    if (!user || !passwordMatches(user, password)) {
      throw badRequest(kind === "userpass" ? "invalid username or password" : "ldap operation failed: failed to bind as user");
    }
    const groupPolicies = user.groups.flatMap((group) => groups.get(group.toLowerCase()) ?? []);
    return issueLoginToken(options, {
      settings: user.settings,
      extraPolicies: groupPolicies,
      meta: { username: userName(request) },
      displayName: `${kind}-${userName(request)}`,
      alias: userName(request),
    });
  }

  const routes: Route[] = [
    { pattern: new RegExp(`^login/${name}$`), unauthenticated: true, write: login },
    { pattern: /^users\/?$/, list: () => ({ data: { keys: [...users.keys()].sort() } }) },
    {
      pattern: new RegExp(`^users/${name}$`),
      exists: (params) => users.has(params.name!.toLowerCase()),
      read: (request) => {
        const user = users.get(userName(request));
        return user ? { data: { ...tokenSettingsData(user.settings), ...(kind === "ldap" ? { groups: user.groups.join(",") } : {}) } } : undefined;
      },
      write: writeUser,
      delete: (request) => void users.delete(userName(request)),
    },
  ];
  if (kind === "ldap") {
    routes.push(
      { pattern: /^config$/, read: () => ({ data: config.get("config") ?? {} }), write: (request) => void config.set("config", { ...request.data, bindpass: undefined }) },
      { pattern: /^groups\/?$/, list: () => ({ data: { keys: [...groups.keys()].sort() } }) },
      {
        pattern: new RegExp(`^groups/${name}$`),
        read: (request) => {
          const policies = groups.get(userName(request));
          return policies ? { data: { policies } } : undefined;
        },
        write: (request) => void groups.set(userName(request), parseFields(groupFields, request.data, request.warn).policies ?? []),
        delete: (request) => void groups.delete(userName(request)),
      },
    );
  }
  return { type: kind, routes };
}
