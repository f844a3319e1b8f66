// Vault's JWT method: the job's GitHub OIDC token (requested right before the login, for the
// audience asked), or a JWT the step signs with jwtPrivateKey.
import { oidcRequestFromEnv, requestIdToken } from "../oidc.ts";
import type { SecretsBackend, Session } from "../backends/backend.ts";
import type { LoginContext } from "./context.ts";
import type { SigningKey } from "./auth-choice.ts";
import { signJwt } from "./signed-jwt.ts";

/** The job's OIDC token; also Infisical's OIDC login uses it. */
export async function jobOidcToken(context: LoginContext, audience: string | undefined): Promise<string> {
  const request = context.oidc ?? oidcRequestFromEnv();
  context.log(`Requesting the job's OIDC token (audience ${audience ?? "GitHub's default, https://github.com/<owner>"})`);
  const jwt = await requestIdToken(context.http, request, audience);
  context.mask(jwt);
  return jwt;
}

export async function logInWithJwt(backend: SecretsBackend, context: LoginContext, audience: string | undefined, signingKey: SigningKey | undefined): Promise<Session> {
  if (signingKey === undefined) return backend.loginWithJwt(await jobOidcToken(context, audience));
  if (audience) context.log("The audience input does not apply to a JWT signed with jwtPrivateKey: ignored, as vault-action does");
  context.log(`Signing a JWT with jwtPrivateKey (RS256, valid ${signingKey.ttlSeconds} s)`);
  const jwt = signJwt(signingKey);
  context.mask(jwt);
  return backend.loginWithJwt(jwt);
}
