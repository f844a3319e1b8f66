// Logs in the way the inputs chose: one file per method beside this one.
import { KeybridgeError } from "../errors.ts";
import type { SecretsBackend, Session } from "../backends/backend.ts";
import { VaultBackend } from "../backends/vault.ts";
import { InfisicalBackend } from "../backends/infisical.ts";
import type { AuthChoice } from "./auth-choice.ts";
import type { LoginContext } from "./context.ts";
import { jobOidcToken, logInWithJwt } from "./jwt.ts";
import { logInWithToken } from "./token.ts";
import { logInWithAppRole } from "./approle.ts";
import { logInWithKubernetes } from "./kubernetes.ts";
import { logInWithUserpass } from "./userpass.ts";
import { logInWithLdap } from "./ldap.ts";
import { logInWithGitHub } from "./github.ts";
import { logInWithPayload } from "./custom.ts";
import { logInWithUniversalAuth } from "./universal.ts";

function vaultOnly(backend: SecretsBackend, method: string): VaultBackend {
  if (backend instanceof VaultBackend) return backend;
  throw new KeybridgeError("KB_INPUT_INVALID", `Input method: ${method} is a Vault/OpenBao auth method: with Infisical use oidc, universal or token`);
}

function infisicalOnly(backend: SecretsBackend, method: string): InfisicalBackend {
  if (backend instanceof InfisicalBackend) return backend;
  throw new KeybridgeError("KB_INPUT_INVALID", `Input method: ${method} is an Infisical auth method: with Vault or OpenBao use jwt, token, approle, kubernetes, userpass, ldap or github`);
}

export async function logIn(backend: SecretsBackend, auth: AuthChoice, context: LoginContext): Promise<Session> {
  switch (auth.method) {
    case "jwt":
      return logInWithJwt(backend, context, auth.audience, auth.signingKey);
    case "oidc":
      return infisicalOnly(backend, auth.method).loginWithJwt(await jobOidcToken(context, auth.audience));
    case "token":
      return logInWithToken(backend, context, auth.token);
    case "approle":
      return logInWithAppRole(vaultOnly(backend, auth.method), context, auth.mount, auth.roleId, auth.secretId);
    case "kubernetes":
      return logInWithKubernetes(vaultOnly(backend, auth.method), context, auth.mount, auth.role, auth.tokenPath);
    case "userpass":
      return logInWithUserpass(vaultOnly(backend, auth.method), context, auth.mount, auth.username, auth.password);
    case "ldap":
      return logInWithLdap(vaultOnly(backend, auth.method), context, auth.mount, auth.username, auth.password);
    case "github":
      return logInWithGitHub(vaultOnly(backend, auth.method), context, auth.mount, auth.githubToken);
    case "custom":
      return logInWithPayload(vaultOnly(backend, auth.name), context, auth.name, auth.mount, auth.payload);
    case "universal":
      return logInWithUniversalAuth(infisicalOnly(backend, auth.method), context, auth.clientId, auth.clientSecret);
  }
}
