// Vault's GitHub method: a GitHub token (read:org); Vault maps its user and teams in the configured
// organization to policies. Not the token that comments plans (the github-token input).
import type { VaultBackend } from "../backends/vault.ts";
import type { Session } from "../backends/backend.ts";
import type { LoginContext } from "./context.ts";

export function logInWithGitHub(backend: VaultBackend, context: LoginContext, mount: string, githubToken: string): Promise<Session> {
  context.mask(githubToken);
  return backend.login({
    what: "GitHub", mount, body: { token: githubToken },
    advice: "check that githubToken is current, has read:org, and belongs to a member of the mount's organization whose user or teams map to policies",
  });
}
