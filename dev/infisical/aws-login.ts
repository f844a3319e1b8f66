// POST /api/v1/auth/aws-auth/login, following Infisical's algorithm: the identity's AWS auth (404
// without one); the forwarded request decoded from base64 (body) and base64 JSON (headers); sent
// to STS — here, checked as STS would check it, against the access keys declared to keybridge dev
// (aws-signature.ts) — then the caller's account against allowed_account_ids and its principal ARN
// (an assumed role as its role) against allowed_principal_arns, where `*` matches any run of
// characters, "/" included (Infisical's rule for ARNs, not picomatch's). Every refusal is a 401.
import type { AccessToken, AccessTokens, LoginAnswer } from "./access-tokens.ts";
import { notFound, unauthorized } from "./errors.ts";
import type { InfisicalStore } from "./store.ts";
import { stsRegion, verifySignature, type DevAwsKey } from "./aws-signature.ts";

export interface AwsLoginDeps {
  readonly store: InfisicalStore;
  readonly tokens: AccessTokens;
  readonly now: () => number;
  /** The access keys keybridge dev plays STS for, by access key id. */
  readonly awsKeys: ReadonlyMap<string, DevAwsKey>;
}

export interface AwsLoginInput {
  readonly identityId: string;
  readonly iamHttpRequestMethod: string;
  readonly iamRequestBody: string;
  readonly iamRequestHeaders: string;
}

function decodeHeaders(encoded: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(encoded, "base64").toString("utf8"));
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((value) => typeof value === "string")) {
    throw unauthorized("Access denied: iamRequestHeaders is not base64 of a JSON object of header strings; send the signed request's headers");
  }
  return parsed as Record<string, string>;
}

/** The host a request goes to: its Host header, else the identity's sts_endpoint. */
function targetHost(headers: Readonly<Record<string, string>>, stsEndpoint: string): string {
  const host = Object.entries(headers).find(([name]) => name.toLowerCase() === "host")?.[1];
  return (host ?? new URL(stsEndpoint).host).toLowerCase();
}

function isGetCallerIdentity(body: string): boolean {
  const form = new URLSearchParams(body);
  return form.get("Action") === "GetCallerIdentity" && [...form.keys()].every((key) => key === "Action" || key === "Version");
}

/** GetCallerIdentity's Arn as the principal it stands for: an assumed role's session becomes the role. */
export function principalArn(arn: string): string {
  const parts = arn.split(":");
  if (parts.length !== 6 || parts[0] !== "arn") return arn;
  const [, partition, , , account, resource = ""] = parts;
  const [type, ...path] = resource.split("/");
  if (type === "assumed-role" && path.length >= 2) return `arn:${partition}:iam::${account}:role/${path[0]}`;
  if ((type === "user" || type === "role") && path.length >= 1) return `arn:${partition}:iam::${account}:${type}/${path[path.length - 1]}`;
  return arn;
}

export function arnAllowed(pattern: string, arn: string): boolean {
  const source = pattern.split("*").map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${source}$`).test(arn);
}

export function awsLogin(deps: AwsLoginDeps, input: AwsLoginInput): { answer: LoginAnswer; token: AccessToken } {
  const config = deps.store.awsAuth(input.identityId);
  if (!config) throw notFound(`AWS auth method not found for identity, did you configure AWS auth? (identity "${input.identityId}"); check the identity id or attach an infisical_identity_aws_auth`);
  const headers = decodeHeaders(input.iamRequestHeaders);
  const body = Buffer.from(input.iamRequestBody, "base64").toString("utf8");
  const host = targetHost(headers, config.stsEndpoint);
  if (stsRegion(host) === undefined || input.iamHttpRequestMethod.toUpperCase() !== "POST" || !isGetCallerIdentity(body)) {
    throw unauthorized(`Access denied: the forwarded request is not an STS GetCallerIdentity POST (host "${host}"); sign POST Action=GetCallerIdentity&Version=2011-06-15 for sts.<region>.amazonaws.com`);
  }
  const caller = verifySignature({ method: "POST", host, headers, body }, deps.awsKeys, deps.now());
  if ("code" in caller) throw unauthorized(`Access denied: AWS STS refused the GetCallerIdentity request: ${caller.code}: ${caller.message}`);
  const account = caller.arn.split(":")[4] ?? "";
  if (config.allowedAccountIds.length > 0 && !config.allowedAccountIds.includes(account)) {
    throw unauthorized(`Access denied: AWS account ID not allowed. (account ${account}); use credentials of an allowed account or add it to allowed_account_ids`);
  }
  const principal = principalArn(caller.arn);
  if (config.allowedPrincipalArns.length > 0 && !config.allowedPrincipalArns.some((pattern) => arnAllowed(pattern, principal))) {
    throw unauthorized(`Access denied: AWS principal ARN not allowed. (principal ${principal}); use credentials of an allowed principal or widen allowed_principal_arns`);
  }
  return deps.tokens.issue(input.identityId, "aws-auth", config);
}
