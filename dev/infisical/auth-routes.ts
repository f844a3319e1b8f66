// /api/v1/auth/...: OIDC, Kubernetes, AWS IAM and universal auth logins of machine identities, and the access-token
// self-service calls (revoke, renew), whose credential is the token in the body.
import type { AccessTokens } from "./access-tokens.ts";
import { unauthorized } from "./errors.ts";
import { oidcLogin, type LoginDeps } from "./oidc-login.ts";
import { kubernetesLogin } from "./kubernetes-login.ts";
import type { Clusters } from "../kubernetes/clusters.ts";
import { awsLogin, type AwsLoginDeps } from "./aws-login.ts";
import { accessTokenBody, awsLoginBody, kubernetesLoginBody, oidcLoginBody, parseInput, universalLoginBody } from "./request-schemas.ts";
import type { Route, RouteContext } from "./router.ts";
import type { InfisicalStore } from "./store.ts";
import { universalLogin } from "./universal-login.ts";

function actorOf(store: InfisicalStore, context: RouteContext, identityId: string, tokenId: string): void {
  context.actor = { type: "identity", identityId, name: store.identity(identityId)?.name ?? "", tokenId };
}

export function authRoutes(deps: LoginDeps & AwsLoginDeps & { readonly tokens: AccessTokens; readonly clusters: Clusters }): Route[] {
  return [
    {
      method: "POST",
      pattern: /^\/api\/v1\/auth\/oidc-auth\/login$/,
      event: "login-identity-oidc-auth",
      async handle(context) {
        const { identityId, jwt } = parseInput(oidcLoginBody, context.body());
        context.meta.identityId = identityId;
        const { answer, token } = await oidcLogin(deps, identityId, jwt);
        actorOf(deps.store, context, identityId, token.id);
        return answer;
      },
    },
    {
      method: "POST",
      pattern: /^\/api\/v1\/auth\/kubernetes-auth\/login$/,
      event: "login-identity-kubernetes-auth",
      async handle(context) {
        const { identityId, jwt } = parseInput(kubernetesLoginBody, context.body());
        context.meta.identityId = identityId;
        const { answer, token } = await kubernetesLogin(deps, identityId, jwt);
        actorOf(deps.store, context, identityId, token.id);
        return answer;
      },
    },
    {
      method: "POST",
      pattern: /^\/api\/v1\/auth\/aws-auth\/login$/,
      event: "login-identity-aws-auth",
      handle(context) {
        const input = parseInput(awsLoginBody, context.body());
        context.meta.identityId = input.identityId;
        const { answer, token } = awsLogin(deps, input);
        actorOf(deps.store, context, input.identityId, token.id);
        return answer;
      },
    },
    {
      method: "POST",
      pattern: /^\/api\/v1\/auth\/universal-auth\/login$/,
      event: "login-identity-universal-auth",
      handle(context) {
        const { clientId, clientSecret } = parseInput(universalLoginBody, context.body());
        context.meta.clientId = clientId;
        const { answer, token } = universalLogin(deps, clientId, clientSecret, context.request.remoteAddress);
        actorOf(deps.store, context, token.identityId, token.id);
        return answer;
      },
    },
    {
      method: "POST",
      pattern: /^\/api\/v1\/auth\/token\/revoke$/,
      event: "revoke-identity-access-token",
      handle(context) {
        const { accessToken } = parseInput(accessTokenBody, context.body());
        const token = deps.tokens.revoke(accessToken);
        if (!token) throw unauthorized("Failed to revoke access token: it is unknown or already revoked; nothing to do");
        actorOf(deps.store, context, token.identityId, token.id);
        return { message: "Successfully revoked access token" };
      },
    },
    {
      method: "POST",
      pattern: /^\/api\/v1\/auth\/token\/renew$/,
      event: "renew-identity-access-token",
      handle(context) {
        const { accessToken } = parseInput(accessTokenBody, context.body());
        return deps.tokens.renew(accessToken);
      },
    },
  ];
}
