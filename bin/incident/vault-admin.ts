// The operator's calls the drill makes to Vault: which audit devices exist, the live token
// accessors and their HMACs as a device writes them, and revocation by accessor and by lease
// prefix. Listing accessors is root-protected, so the drill needs a root token or one with sudo.
import * as z from "zod";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import type { HttpClient, HttpResponse } from "../../client/http/http-client.ts";
import { vaultApiUrl, vaultErrors, vaultHeaders } from "../../client/backends/answers.ts";

export interface VaultAdminTarget {
  readonly url: URL;
  readonly namespace: string | undefined;
  readonly token: string;
}

export interface AuditDevice {
  /** "file/": the path sys/audit-hash takes. */
  readonly path: string;
  readonly type: string;
  readonly filePath: string | undefined;
}

const devicesAnswer = z.object({
  data: z.record(z.string(), z.object({ type: z.string(), options: z.record(z.string(), z.string()).nullish() })).optional(),
});
const keysAnswer = z.object({ data: z.object({ keys: z.array(z.string()) }) });
const hashAnswer = z.object({ data: z.object({ hash: z.string() }) });
const selfAnswer = z.object({ data: z.object({ accessor: z.string() }) });

export type RevokeResult = "revoked" | "already-gone";

export class VaultAdmin {
  constructor(
    private readonly http: HttpClient,
    private readonly target: VaultAdminTarget,
  ) {}

  async auditDevices(): Promise<AuditDevice[]> {
    const response = await this.call("GET", "sys/audit", "listing the audit devices");
    const body = this.parse(devicesAnswer, response, "listing the audit devices");
    return Object.entries(body.data ?? {}).map(([path, device]) => ({ path, type: device.type, filePath: device.options?.file_path }));
  }

  /** The accessor of the token the drill runs with, so the drill never cuts itself off. */
  async ownAccessor(): Promise<string> {
    const purpose = "looking up the drill's own token";
    return this.parse(selfAnswer, await this.call("GET", "auth/token/lookup-self", purpose), purpose).data.accessor;
  }

  /** Every live token's accessor (LIST auth/token/accessors). */
  async liveAccessors(): Promise<string[]> {
    const response = await this.call("GET", "auth/token/accessors?list=true", "listing the live token accessors");
    if (response.status === 404) return [];
    return this.parse(keysAnswer, response, "listing the live token accessors").data.keys;
  }

  /** The value's HMAC as the device writes it (`hmac-sha256:…`). */
  async auditHash(device: string, input: string): Promise<string> {
    // sys/audit lists devices as "file/"; a write to a path ending in "/" is refused.
    const path = `sys/audit-hash/${device.replace(/\/+$/, "")}`;
    const purpose = `hashing an accessor through ${path}`;
    return this.parse(hashAnswer, await this.call("POST", path, purpose, { input }), purpose).data.hash;
  }

  async revokeAccessor(accessor: string): Promise<RevokeResult> {
    const purpose = `revoking the token with accessor ${accessor}`;
    const response = await this.call("POST", "auth/token/revoke-accessor", purpose, { accessor });
    // Expired or revoked meanwhile: Vault answers 400 "invalid accessor".
    if (response.status === 400 && /invalid accessor/.test(vaultErrors(response))) return "already-gone";
    this.check(response, purpose);
    return "revoked";
  }

  async revokeLeasePrefix(prefix: string): Promise<void> {
    const purpose = `revoking the leases under ${prefix}`;
    this.check(await this.call("PUT", `sys/leases/revoke-prefix/${prefix}`, purpose), purpose);
  }

  private async call(method: "GET" | "POST" | "PUT", path: string, purpose: string, body?: unknown): Promise<HttpResponse> {
    return this.http.request({
      method,
      url: vaultApiUrl(this.target.url, path),
      headers: vaultHeaders(this.target.namespace, this.target.token),
      ...(body === undefined ? {} : { body }),
      purpose,
    });
  }

  private check(response: HttpResponse, purpose: string): void {
    if (response.status === 403) {
      throw new KeybridgeError("KB_INCIDENT_PERMISSION_DENIED",
        `${purpose}: Vault answered 403 (${vaultErrors(response)}); run the drill with a root token or one whose policy has sudo on auth/token/accessors, sys/leases/revoke-prefix/* and update on sys/audit-hash/*, auth/token/revoke-accessor`);
    }
    if (response.status < 200 || response.status >= 300) {
      throw new KeybridgeError("KB_HTTP_FAILED", `${purpose}: HTTP ${response.status}: ${vaultErrors(response)}`);
    }
  }

  private parse<T>(schema: z.ZodType<T>, response: HttpResponse, purpose: string): T {
    this.check(response, purpose);
    const parsed = schema.safeParse(response.json);
    if (!parsed.success) throw new KeybridgeError("KB_HTTP_FAILED", `${purpose}: the answer is not shaped as Vault's; check that the address is Vault's or OpenBao's`);
    return parsed.data;
  }
}
