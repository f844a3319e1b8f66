// The Kubernetes method: the pod's service-account token, read from its file. Vault and OpenBao
// take it with a role at the kubernetes mount unless configured otherwise; Infisical with the
// machine identity whose Kubernetes auth admits the service account.
import { readFileSync } from "node:fs";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import type { SecretsBackend, Session } from "../backends/backend.ts";
import type { LoginContext, LoginTarget } from "./auth-method.ts";
import { vaultOnly } from "./backend-only.ts";
import { InfisicalBackend } from "../backends/infisical.ts";

export const defaultTokenPath = "/var/run/secrets/kubernetes.io/serviceaccount/token";

export interface KubernetesSettings {
  /** Vault's role (required there); Infisical has none. */
  readonly role?: string | undefined;
  /** Infisical's machine identity. */
  readonly identityId?: string | undefined;
  /** The service-account token file; the path Kubernetes mounts it at unless configured otherwise. */
  readonly tokenPath?: string | undefined;
  readonly path?: string | undefined;
}

export function target(settings: KubernetesSettings): LoginTarget {
  return { authPath: settings.path ?? "kubernetes", ...(settings.identityId ? { identityId: settings.identityId } : {}) };
}

function readTokenFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8").trim();
  } catch (error) {
    throw new KeybridgeError("KB_INPUT_INVALID",
      `the service-account token file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"}): run in a pod with a service-account token mounted, or give the token file's path (kubernetesTokenPath)`);
  }
  if (text === "") throw new KeybridgeError("KB_INPUT_INVALID", `the service-account token file ${path} is empty: give the file of the pod's service-account token`);
  return text;
}

export async function login(backend: SecretsBackend, settings: KubernetesSettings, context: LoginContext): Promise<Session> {
  const jwt = readTokenFile(settings.tokenPath ?? defaultTokenPath);
  context.onCredential?.(jwt);
  if (backend instanceof InfisicalBackend) return backend.loginWithKubernetes(jwt);
  const vault = vaultOnly(backend, "Kubernetes");
  if (!settings.role) throw new KeybridgeError("KB_INPUT_INVALID", "Vault's Kubernetes method needs a role: give the role the service account is bound to (--role, role)");
  return vault.login({
    what: "Kubernetes", mount: settings.path ?? "kubernetes", body: { role: settings.role, jwt },
    advice: `check the role "${settings.role}": its bound_service_account_names and bound_service_account_namespaces must include this pod's service account, and its audience the token's aud`,
  });
}
