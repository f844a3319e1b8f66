// The organization admin's calls the drill makes to Infisical: the organization's audit logs
// (GET /api/v1/organization/audit-logs, a page at a time), whether an identity has OIDC,
// universal or Kubernetes auth attached (GET /api/v1/auth/<method>/identities/:id), and
// detaching it (DELETE on the same path), which invalidates every access token the identity
// holds. Infisical has no call that revokes an identity's tokens by id without the token itself,
// so detaching is what cuts a reader off; `terraform apply` attaches the method again once the
// secret is rotated.
import * as z from "zod";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import type { HttpClient, HttpResponse } from "../../client/http/http-client.ts";
import { infisicalApiUrl, infisicalMessage } from "../../client/backends/answers.ts";

export type AuthMethod = "oidc-auth" | "universal-auth" | "kubernetes-auth" | "aws-auth";
export const authMethods: readonly AuthMethod[] = ["oidc-auth", "universal-auth", "kubernetes-auth", "aws-auth"];

export interface AuditLogQuery {
  readonly projectId: string;
  readonly environment: string;
  readonly secretPath: string;
  readonly eventTypes: readonly string[];
  readonly startDate: string;
  readonly endDate: string;
  readonly offset: number;
  readonly limit: number;
}

const listAnswer = z.object({ auditLogs: z.array(z.unknown()) });

export class InfisicalAdmin {
  constructor(
    private readonly http: HttpClient,
    private readonly url: URL,
    private readonly token: string,
  ) {}

  /** One page of rows, newest first; rows are checked by the scanner, not here. */
  async auditLogs(query: AuditLogQuery): Promise<unknown[]> {
    const params = new URLSearchParams({
      projectId: query.projectId, environment: query.environment, secretPath: query.secretPath, eventType: query.eventTypes.join(","),
      startDate: query.startDate, endDate: query.endDate, offset: String(query.offset), limit: String(query.limit),
    });
    const purpose = "listing the organization's audit logs";
    const response = await this.call("GET", `/api/v1/organization/audit-logs?${params}`, purpose);
    this.check(response, purpose);
    const parsed = listAnswer.safeParse(response.json);
    if (!parsed.success) throw new KeybridgeError("KB_HTTP_FAILED", `${purpose}: the answer is not shaped as Infisical's; check that the address is Infisical's`);
    return parsed.data.auditLogs;
  }

  /** Whether the method is attached: Infisical answers 400 when it is not. */
  async hasAuthMethod(identityId: string, method: AuthMethod): Promise<boolean> {
    const purpose = `looking up the ${method} of identity ${identityId}`;
    const response = await this.call("GET", `/api/v1/auth/${method}/identities/${encodeURIComponent(identityId)}`, purpose);
    if (response.status === 400) return false;
    this.check(response, purpose);
    return true;
  }

  /** "detached", or "not-attached" when it went meanwhile (400). */
  async detachAuthMethod(identityId: string, method: AuthMethod): Promise<"detached" | "not-attached"> {
    const purpose = `revoking the ${method} of identity ${identityId}`;
    const response = await this.call("DELETE", `/api/v1/auth/${method}/identities/${encodeURIComponent(identityId)}`, purpose);
    if (response.status === 400) return "not-attached";
    this.check(response, purpose);
    return "detached";
  }

  private call(method: "GET" | "DELETE", path: string, purpose: string): Promise<HttpResponse> {
    return this.http.request({ method, url: infisicalApiUrl(this.url, path), headers: { authorization: `Bearer ${this.token}` }, purpose });
  }

  private check(response: HttpResponse, purpose: string): void {
    if (response.status === 401 || response.status === 403) {
      throw new KeybridgeError("KB_INCIDENT_PERMISSION_DENIED",
        `${purpose}: Infisical answered ${response.status} (${infisicalMessage(response)}); run the drill as an identity whose organization role may read audit logs and edit identities (admin)`);
    }
    if (response.status === 404) {
      throw new KeybridgeError("KB_HTTP_FAILED", `${purpose}: HTTP 404: ${infisicalMessage(response)}; check the identity id, and that this Infisical has audit logs (a licensed feature)`);
    }
    if (response.status < 200 || response.status >= 300) {
      throw new KeybridgeError("KB_HTTP_FAILED", `${purpose}: HTTP ${response.status}: ${infisicalMessage(response)}`);
    }
  }
}
