// The job's GitHub OIDC token: requested right before login (it lives about five minutes, so it is
// never cached), masked at once, and its non-secret claims kept for diagnostics.
import * as z from "zod/mini";
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";
import type { HttpClient } from "./http/http-client.ts";

export interface OidcRequest {
  readonly url: string;
  readonly bearer: string;
}

/** The request pair the runner gives jobs that have `permissions: id-token: write`. */
export function oidcRequestFromEnv(env = process.env): OidcRequest {
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!url || !bearer) {
    throw new KeybridgeError("KB_OIDC_MISSING_PERMISSION",
      "The job has no OIDC token to log in with: add `permissions: { id-token: write, contents: read }` to the job or workflow (pull requests from forks get no token; use pull_request_target with care, or skip this step for forks)");
  }
  return { url, bearer };
}

const tokenResponse = z.object({ value: z.string().check(z.minLength(20)) });

export async function requestIdToken(http: HttpClient, request: OidcRequest, audience: string | undefined): Promise<string> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    throw new KeybridgeError("KB_OIDC_REQUEST_FAILED", "ACTIONS_ID_TOKEN_REQUEST_URL is not a URL: the runner did not set it; do not set it by hand");
  }
  if (audience) url.searchParams.set("audience", audience);
  const response = await http.request({
    method: "GET",
    url,
    headers: { authorization: `Bearer ${request.bearer}` },
    purpose: "requesting the job's OIDC token from GitHub",
  });
  const parsed = tokenResponse.safeParse(response.json);
  if (response.status >= 500 || response.status === 429) {
    throw new KeybridgeError("KB_OIDC_REQUEST_FAILED", `GitHub's OIDC token service kept answering HTTP ${response.status} within the retry budget; re-run the job later`);
  }
  if (response.status !== 200 || !parsed.success) {
    throw new KeybridgeError("KB_OIDC_REQUEST_FAILED",
      `GitHub's token service answered ${response.status}${response.status === 200 ? " without a token" : ""} to the OIDC token request; re-run the job, and check that the job has id-token: write`);
  }
  return parsed.data.value;
}

/** The claims a relying party matches on: what a user needs to see when a login is refused. */
export const diagnosticClaims = [
  "sub", "aud", "iss", "repository", "ref", "environment", "event_name", "job_workflow_ref", "runner_environment",
] as const;

/** `sub=…, aud=…, …` for the claims the token has; the token's signature is never shown. */
export function describeClaims(jwt: string): string {
  const payload = jwt.split(".")[1];
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8"));
  } catch {
    return "(the token's claims could not be decoded)";
  }
  return diagnosticClaims
    .filter((name) => claims[name] !== undefined)
    .map((name) => `${name}=${Array.isArray(claims[name]) ? (claims[name] as unknown[]).join("|") : String(claims[name])}`)
    .join(", ");
}
