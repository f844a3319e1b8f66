// The dev backend's GitHub OIDC emulator as tests drive it: mint a job (the admin registers a job's
// claims and gets the ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN pair a runner would hand the job), then
// ask for the job's token as the Action does.
import type { VaultAdmin } from "./vault.ts";

export interface OidcRequestPair {
  readonly requestUrl: string;
  readonly requestToken: string;
}

/** The environment a runner gives a job that has `permissions: id-token: write`. */
export function oidcEnv(pair: OidcRequestPair): Record<string, string> {
  return { ACTIONS_ID_TOKEN_REQUEST_URL: pair.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: pair.requestToken };
}

/** A fresh request pair for a job with these claims; the dev backend's root token is the admin. */
export async function mintJob(admin: VaultAdmin, claims: Readonly<Record<string, string>>): Promise<OidcRequestPair> {
  const response = await fetch(new URL("/_oidc/jobs", admin.addr), {
    method: "POST",
    headers: { "X-Vault-Token": admin.token, "Content-Type": "application/json" },
    body: JSON.stringify({ claims }),
  });
  if (response.status !== 201) throw new Error(`minting a job answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as OidcRequestPair;
}

/** The job's OIDC token, for `audience` when given, as the Action requests it. */
export async function requestJobToken(pair: OidcRequestPair, audience?: string): Promise<string> {
  const url = audience === undefined ? pair.requestUrl : `${pair.requestUrl}&audience=${encodeURIComponent(audience)}`;
  const response = await fetch(url, { headers: { Authorization: `bearer ${pair.requestToken}` } });
  if (response.status !== 200) throw new Error(`the token request answered ${response.status}`);
  return ((await response.json()) as { value: string }).value;
}

/** mintJob then requestJobToken: a GitHub OIDC token for a job with these claims. */
export async function githubToken(admin: VaultAdmin, claims: Readonly<Record<string, string>>, audience?: string): Promise<string> {
  return requestJobToken(await mintJob(admin, claims), audience);
}
