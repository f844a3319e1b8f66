// GitHub's OIDC token service, emulated under /_oidc: discovery, JWKS, the token endpoint a job
// calls with its ACTIONS_ID_TOKEN_REQUEST_TOKEN, and POST /_oidc/jobs, where tests and the demo
// mint a request pair for a job with the claims they choose (root token required).
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import * as z from "zod";
import type { JSONWebKeySet } from "jose";
import type { LocalIssuer } from "../jwt/keys.ts";
import { sendJson, type Exchange } from "../http-io.ts";
import { jsonDepth, maxJsonDepth, tooDeepMessage } from "../json-input.ts";
import { completeJobClaims, JobClaimsError, jobClaimNames, tokenPayload, type JobClaims } from "./job-claims.ts";
import { RequestTokens } from "./request-tokens.ts";
import type { SigningKey } from "./signing-key.ts";

export interface OidcRequestPair {
  readonly requestUrl: string;
  readonly requestToken: string;
}

export interface OidcEmulatorOptions {
  readonly issuer: string;
  /** http://127.0.0.1:PORT */
  readonly baseUrl: string;
  readonly key: SigningKey;
  readonly now: () => number;
  readonly isRootToken: (token: string | undefined) => boolean;
}

const jobsBody = z.object({ claims: z.record(z.string(), z.unknown()).optional() });

/** How the JWT auth backend recognises (and verifies against) the emulator without a network. */
export function localIssuer(issuer: string, baseUrl: string, jwks: JSONWebKeySet): LocalIssuer {
  const base = issuer.replace(/\/+$/, "");
  return {
    discoveryUrls: new Set([base, `${baseUrl}/_oidc`]),
    jwksUrls: new Set([`${base}/.well-known/jwks`, `${baseUrl}/_oidc/.well-known/jwks`]),
    jwks,
  };
}

export class OidcEmulator {
  readonly discoveryUrl: string;
  readonly jwksUrl: string;
  readonly requestUrl: string;
  private readonly requests = new RequestTokens();

  constructor(private readonly options: OidcEmulatorOptions) {
    this.discoveryUrl = `${options.baseUrl}/_oidc/.well-known/openid-configuration`;
    this.jwksUrl = `${options.baseUrl}/_oidc/.well-known/jwks`;
    this.requestUrl = `${options.baseUrl}/_oidc/token?api-version=2.0`;
  }

  /** A fresh request pair for a job; throws JobClaimsError for claims GitHub would never issue. */
  mintJob(claims: Readonly<Record<string, unknown>>): OidcRequestPair {
    return { requestUrl: this.requestUrl, requestToken: this.requests.issue(completeJobClaims(claims)) };
  }

  /** Answers a request under /_oidc/ (`path` clean and decoded); false when no endpoint has the path. */
  serve({ request, response, rawQuery, body }: Exchange, path: string): Promise<boolean> {
    const url = new URL(`${path}${rawQuery ? `?${rawQuery}` : ""}`, this.options.baseUrl);
    return this.handle(request, response, url, body);
  }

  async handle(request: IncomingMessage, response: ServerResponse, url: URL, body: Buffer): Promise<boolean> {
    switch (url.pathname) {
      case "/_oidc/.well-known/openid-configuration":
        if (request.method !== "GET") return methodNotAllowed(response);
        sendJson(response, 200, this.discoveryDocument());
        return true;
      case "/_oidc/.well-known/jwks":
        if (request.method !== "GET") return methodNotAllowed(response);
        sendJson(response, 200, this.options.key.jwks);
        return true;
      case "/_oidc/token":
        if (request.method !== "GET") return methodNotAllowed(response);
        await this.token(request, response, url);
        return true;
      case "/_oidc/jobs":
        if (request.method !== "POST") return methodNotAllowed(response);
        this.jobs(request, response, body);
        return true;
      default:
        return false;
    }
  }

  private discoveryDocument(): Record<string, unknown> {
    return {
      issuer: this.options.issuer,
      jwks_uri: this.jwksUrl,
      subject_types_supported: ["public", "pairwise"],
      response_types_supported: ["id_token"],
      claims_supported: ["sub", "aud", "exp", "iat", "iss", "jti", "nbf", ...jobClaimNames.filter((name) => name !== "sub")],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid"],
    };
  }

  private async token(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    if (url.searchParams.get("api-version") !== "2.0") {
      sendJson(response, 400, { message: "the api-version=2.0 query parameter is required" });
      return;
    }
    const bearer = /^bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? "")?.[1];
    const job: JobClaims | undefined = bearer === undefined ? undefined : this.requests.find(bearer);
    if (!job) {
      sendJson(response, 401, { message: "Bad credentials: send Authorization: bearer <ACTIONS_ID_TOKEN_REQUEST_TOKEN>" });
      return;
    }
    const payload = tokenPayload(job, {
      issuer: this.options.issuer,
      audience: url.searchParams.get("audience") ?? undefined,
      nowSeconds: Math.floor(this.options.now() / 1000),
      jti: randomUUID(),
    });
    const value = await this.options.key.sign(payload);
    sendJson(response, 200, { count: value.length, value });
  }

  private jobs(request: IncomingMessage, response: ServerResponse, body: Buffer): void {
    const token = request.headers["x-vault-token"];
    if (!this.options.isRootToken(typeof token === "string" ? token : undefined)) {
      sendJson(response, 403, { errors: ["permission denied"] });
      return;
    }
    const text = body.toString("utf8");
    if (jsonDepth(text) > maxJsonDepth) {
      sendJson(response, 400, { errors: [tooDeepMessage()] });
      return;
    }
    let parsed: z.infer<typeof jobsBody>;
    try {
      parsed = jobsBody.parse(body.length === 0 ? {} : JSON.parse(text));
    } catch {
      sendJson(response, 400, { errors: ['the body must be JSON like {"claims":{"repository":"owner/name"}}'] });
      return;
    }
    try {
      sendJson(response, 201, this.mintJob(parsed.claims ?? {}));
    } catch (error) {
      if (!(error instanceof JobClaimsError)) throw error;
      sendJson(response, 400, { errors: [error.message] });
    }
  }
}

function methodNotAllowed(response: ServerResponse): true {
  sendJson(response, 405, { errors: [] });
  return true;
}
