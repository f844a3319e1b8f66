// Vault's file audit device: one JSON line per request and one per response. Every string inside
// request and response data, and every token and accessor, is written as `hmac-sha256:<hex>` with a
// per-process salt, so the log shows that a value was used (and which, for whoever can compute the
// HMAC through sys/audit-hash) but never the value.
import { closeSync, openSync, writeSync } from "node:fs";
import { createHmac, randomBytes } from "node:crypto";
import type { AuthBlock } from "./envelope.ts";
import type { TokenEntry } from "./token-store.ts";

export interface AuditEvent {
  readonly id: string;
  readonly operation: string;
  readonly path: string;
  readonly namespace: string;
  readonly mountType: string;
  readonly remoteAddress: string;
  readonly data: unknown;
  readonly presentedToken: string | undefined;
  readonly token: TokenEntry | undefined;
  readonly error?: string;
}

export interface AuditResponse {
  readonly data?: unknown;
  readonly auth?: AuthBlock;
  readonly warnings?: readonly string[];
}

interface Device {
  readonly type: "file";
  readonly description: string;
  readonly filePath: string;
  /** File descriptor; undefined for file_path "discard". */
  readonly fd: number | undefined;
}

export class AuditLog {
  private readonly salt = randomBytes(32);
  private readonly devices = new Map<string, Device>();

  constructor(private readonly now: () => number) {}

  hmac(value: string): string {
    return `hmac-sha256:${createHmac("sha256", this.salt).update(value, "utf8").digest("hex")}`;
  }

  /** Opens (creating with mode 0600, appending) the device's file. "stdout" and "discard" as in Vault. */
  enableFile(path: string, filePath: string, description = ""): void {
    const fd = filePath === "discard" ? undefined : filePath === "stdout" ? 1 : openSync(filePath, "a", 0o600);
    this.devices.set(path, { type: "file", description, filePath, fd });
  }

  has(path: string): boolean {
    return this.devices.has(path);
  }

  disable(path: string): void {
    const device = this.devices.get(path);
    this.devices.delete(path);
    if (device?.fd !== undefined && device.fd > 2) closeSync(device.fd);
  }

  list(): Record<string, unknown> {
    return Object.fromEntries(
      [...this.devices].map(([path, device]) => [
        path,
        { type: device.type, description: device.description, options: { file_path: device.filePath }, local: false, path },
      ]),
    );
  }

  close(): void {
    for (const path of [...this.devices.keys()]) this.disable(path);
  }

  request(event: AuditEvent): void {
    // Building an entry HMACs every value: not worth doing for nobody (most dev runs).
    if (this.devices.size === 0) return;
    this.write({ time: this.time(), type: "request", auth: this.authOf(event), request: this.requestOf(event), ...errorOf(event) });
  }

  response(event: AuditEvent, response: AuditResponse): void {
    if (this.devices.size === 0) return;
    this.write({
      time: this.time(),
      type: "response",
      auth: this.authOf(event),
      request: this.requestOf(event),
      response: {
        mount_type: event.mountType,
        ...(response.data === undefined ? {} : { data: this.hashed(response.data) }),
        ...(response.auth ? { auth: this.hashedAuth(response.auth) } : {}),
        ...(response.warnings?.length ? { warnings: response.warnings } : {}),
      },
      ...errorOf(event),
    });
  }

  private write(entry: Record<string, unknown>): void {
    if (this.devices.size === 0) return;
    const line = `${JSON.stringify(entry)}\n`;
    for (const device of this.devices.values()) if (device.fd !== undefined) writeSync(device.fd, line);
  }

  private time(): string {
    return new Date(this.now()).toISOString();
  }

  private authOf(event: AuditEvent): Record<string, unknown> {
    const entry = event.token;
    if (!event.presentedToken) return {};
    if (!entry) return { client_token: this.hmac(event.presentedToken) };
    return {
      client_token: this.hmac(event.presentedToken),
      accessor: this.hmac(entry.accessor),
      display_name: entry.displayName,
      policies: entry.policies,
      token_policies: entry.policies,
      metadata: entry.meta,
      entity_id: entry.entityId,
      token_type: "service",
      token_ttl: entry.creationTtl,
    };
  }

  private requestOf(event: AuditEvent): Record<string, unknown> {
    return {
      id: event.id,
      operation: event.operation,
      mount_type: event.mountType,
      client_token: event.presentedToken ? this.hmac(event.presentedToken) : "",
      client_token_accessor: event.token ? this.hmac(event.token.accessor) : "",
      namespace: { id: event.namespace === "" ? "root" : event.namespace },
      path: event.path,
      data: this.hashed(event.data),
      remote_address: event.remoteAddress,
    };
  }

  private hashedAuth(auth: AuthBlock): Record<string, unknown> {
    return { ...auth, client_token: this.hmac(auth.client_token), accessor: this.hmac(auth.accessor) };
  }

  private hashed(value: unknown): unknown {
    if (typeof value === "string") return this.hmac(value);
    if (Array.isArray(value)) return value.map((item) => this.hashed(item));
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.hashed(item)]));
    }
    return value ?? null;
  }
}

function errorOf(event: AuditEvent): { error?: string } {
  return event.error === undefined ? {} : { error: event.error };
}
