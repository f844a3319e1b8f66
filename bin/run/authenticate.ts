// Logs in the way the settings say, through the Action's own backend code: an existing token, a
// workload's OIDC token from a file, GitHub's (or the dev backend's) OIDC request pair, AppRole.
import { existsSync, readFileSync } from "node:fs";
import { InfisicalBackend } from "../../action/backends/infisical.ts";
import { VaultBackend } from "../../action/backends/vault.ts";
import type { SecretsBackend, Session } from "../../action/backends/backend.ts";
import type { HttpClient } from "../../action/http/http-client.ts";
import { KeybridgeError } from "../../action/errors.ts";
import { oidcRequestFromEnv, requestIdToken } from "../../action/oidc.ts";
import { tokenHelperFile, type RunSettings } from "./run-settings.ts";

type Env = Readonly<Record<string, string | undefined>>;

function readCredentialFile(what: string, file: string): string {
  if (!existsSync(file)) throw new KeybridgeError("KB_INPUT_INVALID", `${what} file ${file} does not exist`);
  const text = readFileSync(file, "utf8").trim();
  if (text === "") throw new KeybridgeError("KB_INPUT_INVALID", `${what} file ${file} is empty`);
  return text;
}

export function createBackend(http: HttpClient, settings: RunSettings): SecretsBackend {
  const { auth } = settings;
  if (settings.infisical) {
    const identityId = auth.method === "infisical-oidc-file" ? auth.identityId : undefined;
    return new InfisicalBackend(http, { url: settings.url, identityId, ...settings.infisical, recursive: false, includeImports: true, expandReferences: true });
  }
  const role = "role" in auth ? auth.role : undefined;
  const authPath = ("path" in auth ? auth.path : undefined) ?? (auth.method === "approle" ? "approle" : "jwt");
  return new VaultBackend(http, { name: settings.backend === "openbao" ? "OpenBao" : "Vault", url: settings.url, namespace: settings.namespace, authPath, role });
}

export async function authenticate(backend: SecretsBackend, http: HttpClient, settings: RunSettings, env: Env = process.env): Promise<Session> {
  const { auth } = settings;
  switch (auth.method) {
    case "token": {
      const fromEnv = env[auth.tokenEnv ?? "VAULT_TOKEN"] ?? env.BAO_TOKEN;
      const token = fromEnv || (existsSync(tokenHelperFile()) ? readCredentialFile("the Vault token helper", tokenHelperFile()) : undefined);
      if (!token) throw new KeybridgeError("KB_INPUT_INVALID", "no Vault token: set VAULT_TOKEN or run vault login");
      return backend.useToken(token);
    }
    case "infisical-token": {
      const token = env[auth.tokenEnv ?? "INFISICAL_TOKEN"];
      if (!token) throw new KeybridgeError("KB_INPUT_INVALID", "no Infisical token: set INFISICAL_TOKEN");
      return backend.useToken(token);
    }
    case "jwt-file":
    case "infisical-oidc-file":
      return backend.loginWithJwt(readCredentialFile("the OIDC token", auth.jwtFile));
    case "github-oidc":
      return backend.loginWithJwt(await requestIdToken(http, oidcRequestFromEnv(env), "audience" in auth ? auth.audience : undefined));
    case "approle": {
      if (!(backend instanceof VaultBackend)) throw new KeybridgeError("KB_INPUT_INVALID", "AppRole is a Vault/OpenBao method; use another --auth with Infisical");
      const secretId = auth.secretIdFile ? readCredentialFile("the AppRole secret id", auth.secretIdFile) : env[auth.secretIdEnv ?? "VAULT_SECRET_ID"];
      return backend.loginWithAppRole(auth.roleId, secretId, auth.path ?? "approle");
    }
  }
}
