// The auth methods built on the shared login token (userpass, LDAP, GitHub), by type; Kubernetes
// shares the token too but needs the clusters, so vault.ts makes it.
import type { Backend } from "../core/backend.ts";
import type { AuthMountOptions } from "./login-token.ts";
import { createPasswordAuth } from "./userpass/password-users.ts";
import { createGitHubAuth } from "./github/github-auth.ts";

export function createLoginMethod(type: string, options: AuthMountOptions): Backend | undefined {
  switch (type) {
    case "userpass":
    case "ldap":
      return createPasswordAuth(options, type);
    case "github":
      return createGitHubAuth(options);
    default:
      return undefined;
  }
}
