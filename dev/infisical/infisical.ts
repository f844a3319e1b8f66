// Assembles the Infisical API subset served under /api/: the store (filled by the Terraform
// loader), access tokens, the routes of machine-identity logins and secret reads and writes, the rate limit
// and the audit lines.
import type { LocalIssuer } from "../jwt/keys.ts";
import { AccessTokens } from "./access-tokens.ts";
import { adminRoutes } from "./admin-routes.ts";
import { InfisicalAudit } from "./audit.ts";
import { AuditLogRows } from "./audit-log.ts";
import { authRoutes } from "./auth-routes.ts";
import { RateLimiter } from "./rate-limit.ts";
import { createRouter, type InfisicalReply, type InfisicalRequest } from "./router.ts";
import { secretRoutes } from "./secret-routes.ts";
import { InfisicalStore } from "./store.ts";
import { writeRoutes } from "./write-routes.ts";
import { sendJson, type Exchange } from "../http-io.ts";
import { Clusters } from "../kubernetes/clusters.ts";
import type { DevAwsKey } from "./aws-signature.ts";

/** Infisical's default global limit per client address. */
export const defaultRateLimitPerMinute = 600;

export interface InfisicalOptions {
  readonly now: () => number;
  readonly local: LocalIssuer;
  readonly auditLogPath?: string;
  /** Requests per minute per client address; 0 turns the limit off. */
  readonly rateLimitPerMinute?: number;
  readonly onInternalError: (error: unknown, method: string, path: string) => void;
  /** The clusters Kubernetes auth reviews tokens at; a private set when absent. */
  readonly clusters?: Clusters;
  /** The AWS access keys AWS IAM logins may be signed with (keybridge dev plays STS for them). */
  readonly awsKeys?: readonly DevAwsKey[];
}

export interface Infisical {
  readonly store: InfisicalStore;
  handle(request: InfisicalRequest): Promise<InfisicalReply>;
  /** Answers a request under /api/ (its path as sent: Infisical's router matches it raw). */
  serve(exchange: Exchange): Promise<void>;
  close(): void;
}

export function createInfisical(options: InfisicalOptions): Infisical {
  const { now } = options;
  const clusters = options.clusters ?? new Clusters(now);
  const store = new InfisicalStore(now, (host) => clusters.noteConfigured(host));
  const tokens = new AccessTokens(now);
  const awsKeys = new Map((options.awsKeys ?? []).map((key) => [key.accessKeyId, key]));
  const audit = new InfisicalAudit(options.auditLogPath, now);
  const auditRows = new AuditLogRows(now);
  const handle = createRouter({
    routes: [...authRoutes({ store, tokens, local: options.local, now, clusters, awsKeys }), ...secretRoutes(store), ...writeRoutes(store), ...adminRoutes({ store, tokens, auditRows, now })],
    store,
    tokens,
    audit,
    auditRows,
    limiter: new RateLimiter(options.rateLimitPerMinute ?? defaultRateLimitPerMinute, now),
    onInternalError: options.onInternalError,
  });
  async function serve({ request, response, rawPath, rawQuery, body, remoteAddress }: Exchange): Promise<void> {
    const reply = await handle({ method: request.method ?? "GET", rawPath, query: new URLSearchParams(rawQuery), headers: request.headers, body, remoteAddress });
    sendJson(response, reply.status, reply.body, false, reply.headers);
  }
  return { store, handle, serve, close: () => audit.close() };
}
