// Vault's GitHub auth method at one mount: config (organization), user and team maps to policies,
// and login with {token}. Vault asks GitHub's API whose token it is; keybridge dev plays that
// part itself: it issues GitHub tokens at dev-token (root only) for a user, their organization and
// teams, and a login with such a token is mapped as Vault maps a real one. Tokens are kept as
// SHA-256 digests, never as given.
import { createHash, randomBytes } from "node:crypto";
import * as z from "zod";
import type { Backend, RequestContext, Route } from "../../core/backend.ts";
import { badRequest } from "../../core/errors.ts";
import { parseFields, vaultStringList } from "../../core/fields.ts";
import { applyTokenFields, noTokenSettings, tokenFields, tokenSettingsData, type TokenSettings } from "../../token/token-settings.ts";
import { issueLoginToken, type AuthMountOptions } from "../login-token.ts";
import { memoryScope, plainCodec } from "../../../persist/state-scope.ts";

interface GitHubConfig {
  readonly organization: string;
  readonly settings: TokenSettings;
}

interface GitHubIdentity {
  readonly user: string;
  readonly organization: string;
  readonly teams: readonly string[];
}

const configFields = z.object({ organization: z.string().nullish(), organization_id: z.unknown().nullish(), base_url: z.string().nullish(), ...tokenFields, ttl: z.unknown().nullish(), max_ttl: z.unknown().nullish() });
const mapFields = z.object({ value: vaultStringList.nullish() });
const tokenRequest = z.object({ user: z.string(), organization: z.string().nullish(), teams: vaultStringList.nullish() });
const loginFields = z.object({ token: z.string().nullish() });

const digest = (token: string) => createHash("sha256").update(token).digest("hex");
/** GitHub team slugs: the map's keys are slugs, lower-cased. */
const slug = (team: string) => team.trim().toLowerCase().replace(/\s+/g, "-");

export function createGitHubAuth(options: AuthMountOptions): Backend {
  const state = options.state ?? memoryScope;
  const config = state.map<GitHubConfig>("config", plainCodec());
  const users = state.map<readonly string[]>("users", plainCodec());
  const teams = state.map<readonly string[]>("teams", plainCodec());
  const issued = state.map<GitHubIdentity>("dev-tokens", plainCodec());

  function writeConfig(request: RequestContext): undefined {
    const fields = parseFields(configFields, request.data, request.warn);
    const existing = config.get("config");
    const organization = fields.organization ?? existing?.organization;
    if (!organization) throw badRequest("organization is a required parameter");
    config.set("config", { organization, settings: applyTokenFields(fields, {}, existing?.settings ?? noTokenSettings) });
    return undefined;
  }

  function issueDevToken(request: RequestContext) {
    const fields = parseFields(tokenRequest, request.data, request.warn);
    const organization = fields.organization ?? config.get("config")?.organization;
    if (!organization) throw badRequest("organization is missing: write config first, or give organization");
    const token = `ghp_${randomBytes(18).toString("base64url")}`;
    issued.set(digest(token), { user: fields.user, organization, teams: (fields.teams ?? []).map(slug) });
    return { data: { token } };
  }

  function login(request: RequestContext) {
    const { token } = parseFields(loginFields, request.data, request.warn);
    if (!token) throw badRequest("missing token");
    const current = config.get("config");
    if (!current) throw badRequest("configuration has not been set");
    // GitHub's answer to an unknown token, as Vault relays it.
    const identity = issued.get(digest(token));
    if (!identity) throw badRequest("GET https://api.github.com/user: 401 Bad credentials []");
    if (identity.organization.toLowerCase() !== current.organization.toLowerCase()) throw badRequest("user is not part of required org");
    const policies = [...(users.get(identity.user.toLowerCase()) ?? []), ...identity.teams.flatMap((team) => teams.get(team) ?? [])];
    return issueLoginToken(options, {
      settings: current.settings,
      extraPolicies: policies,
      meta: { org: current.organization, username: identity.user },
      displayName: `github-${identity.user}`,
      alias: identity.user,
    });
  }

  const mapRoutes = (kind: "users" | "teams", map: Map<string, readonly string[]>): Route[] => [
    { pattern: new RegExp(`^map/${kind}/?$`), list: () => ({ data: { keys: [...map.keys()].sort() } }) },
    {
      pattern: new RegExp(`^map/${kind}/(?<name>[\\w.-]+)$`),
      read: (request) => {
        const policies = map.get(slug(request.params.name!));
        return policies ? { data: { key: request.params.name, value: policies.join(",") } } : undefined;
      },
      write: (request) => void map.set(slug(request.params.name!), parseFields(mapFields, request.data, request.warn).value ?? []),
      delete: (request) => void map.delete(slug(request.params.name!)),
    },
  ];

  const routes: Route[] = [
    { pattern: /^login$/, unauthenticated: true, write: login },
    { pattern: /^dev-token$/, sudo: true, write: issueDevToken },
    {
      pattern: /^config$/,
      read: () => {
        const current = config.get("config");
        return current ? { data: { organization: current.organization, base_url: "", ...tokenSettingsData(current.settings) } } : undefined;
      },
      write: writeConfig,
    },
    ...mapRoutes("users", users),
    ...mapRoutes("teams", teams),
  ];
  return { type: "github", routes };
}
