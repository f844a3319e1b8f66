// How a `keybridge` command run by a person or a scheduled job logs in to Infisical: a machine
// identity's universal auth (--client-id, its secret in INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET) or
// an access token in INFISICAL_TOKEN. A token it logged in for is its own to revoke.
import type { HttpClient } from "../client/http/http-client.ts";
import { InfisicalBackend } from "../client/backends/infisical.ts";
import { UsageError } from "./usage-error.ts";

type Env = Readonly<Record<string, string | undefined>>;

export async function infisicalLogin(http: HttpClient, url: URL, clientId: string | undefined, env: Env, needs: string): Promise<{ token: string; owned: boolean }> {
  if (clientId !== undefined) {
    const clientSecret = env.INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET;
    if (!clientSecret) throw new UsageError("--client-id needs the client secret in INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET");
    const backend = new InfisicalBackend(http, { url, identityId: undefined, project: "", environment: "", recursive: false, includeImports: false, expandReferences: false });
    return { token: (await backend.loginWithUniversalAuth(clientId, clientSecret)).token, owned: true };
  }
  if (!env.INFISICAL_TOKEN) throw new UsageError(`no Infisical credentials: set INFISICAL_TOKEN, or give --client-id with INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET (${needs})`);
  return { token: env.INFISICAL_TOKEN, owned: false };
}
