// The auth methods built on the shared login token (userpass, LDAP, Kubernetes, GitHub), by type.
import type { Backend } from "../core/backend.ts";
import type { AuthMountOptions } from "./login-token.ts";
import { createPasswordAuth } from "./userpass/password-users.ts";
import { createKubernetesAuth } from "./kubernetes/kubernetes-auth.ts";
import { createGitHubAuth } from "./github/github-auth.ts";

export function createLoginMethod(type: string, options: AuthMountOptions): Backend | undefined {
  switch (type) {
    case "userpass":
    case "ldap":
      return createPasswordAuth(options, type);
    case "kubernetes":
      return createKubernetesAuth(options);
    case "github":
      return createGitHubAuth(options);
    default:
      return undefined;
  }
}
