// Vault's Kubernetes method: the pod's service-account token, read from its file, and a role.
import { readFileSync } from "node:fs";
import { KeybridgeError } from "../errors.ts";
import type { VaultBackend } from "../backends/vault.ts";
import type { Session } from "../backends/backend.ts";
import type { LoginContext } from "./context.ts";

function readTokenFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8").trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new KeybridgeError("KB_INPUT_INVALID",
      `Input kubernetesTokenPath: "${path}" cannot be read (${code}): run the job in a pod with a service-account token mounted, or give the token file's path`);
  }
  if (text === "") throw new KeybridgeError("KB_INPUT_INVALID", `Input kubernetesTokenPath: "${path}" is empty: give the file of the pod's service-account token`);
  return text;
}

export function logInWithKubernetes(backend: VaultBackend, context: LoginContext, mount: string, role: string, tokenPath: string): Promise<Session> {
  const jwt = readTokenFile(tokenPath);
  context.mask(jwt);
  return backend.login({
    what: "Kubernetes", mount, body: { role, jwt },
    advice: `check the role "${role}": its bound_service_account_names and bound_service_account_namespaces must include this pod's service account, and its audience the token's aud`,
  });
}
