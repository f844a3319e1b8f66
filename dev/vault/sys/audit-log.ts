// Vault's file audit device: one JSON line per request and one per response. Every string inside
// request and response data, and every token and accessor, is written as `hmac-sha256:<hex>` with a
// random salt, so the log shows that a value was used (and which, for whoever can compute the
// HMAC through sys/audit-hash) but never the value. With a data directory the devices enabled
// through sys/audit and the salt are saved (so HMACs stay comparable across restarts); the device of
// --audit-log belongs to its start.
import { closeSync, openSync, writeSync } from "node:fs";
import { createHmac, randomBytes } from "node:crypto";
import type { AuthBlock } from "../core/envelope.ts";
import type { TokenEntry } from "../token/token-store.ts";
import { DataDirError } from "../../persist/errors.ts";
import { memoryScope, plainCodec, type Codec, type StateScope } from "../../persist/state-scope.ts";

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
  /** Enabled for this start only (--audit-log), never saved. */
  readonly transient: boolean;
}

/** "stdout" and "discard" as in Vault; a file is created with mode 0600 and appended to. */
function openDevice(filePath: string): number | undefined {
  return filePath === "discard" ? undefined : filePath === "stdout" ? 1 : openSync(filePath, "a", 0o600);
}

/** A saved device opens its file again; if it cannot, the start is refused, as Vault will not unseal. */
const deviceCodec: Codec<Device> = {
  encode: ({ description, filePath }) => ({ description, filePath }),
  decode: (json, path) => {
    const { description, filePath } = json as { description: string; filePath: string };
    try {
      return { type: "file", description, filePath, fd: openDevice(filePath), transient: false };
    } catch (error) {
      throw new DataDirError(`the audit device ${path} cannot open ${filePath} again (${(error as NodeJS.ErrnoException).code}): make the file writable, then start again`);
    }
  },
  keep: (device) => !device.transient,
};

export class AuditLog {
  private readonly salt: Buffer;
  private readonly devices: Map<string, Device>;
  private closed = false;

  constructor(
    private readonly now: () => number,
    state: StateScope = memoryScope,
  ) {
    const salts = state.map("audit-salt", plainCodec<string>());
    if (!salts.has("salt")) salts.set("salt", randomBytes(32).toString("base64"));
    this.salt = Buffer.from(salts.get("salt")!, "base64");
    this.devices = state.map("audit-devices", deviceCodec);
  }

  hmac(value: string): string {
    return `hmac-sha256:${createHmac("sha256", this.salt).update(value, "utf8").digest("hex")}`;
  }

  /** Opens (creating with mode 0600, appending) the device's file; a transient one is not saved. */
  enableFile(path: string, filePath: string, description = "", transient = false): void {
    const fd = openDevice(filePath);
    // --audit-log over a saved device at the same path: the flag wins, and the saved one is forgotten.
    if (this.devices.has(path)) this.disable(path);
    this.devices.set(path, { type: "file", description, filePath, fd, transient });
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

  /** Closes the files but keeps the devices: they are part of the saved state. */
  close(): void {
    this.closed = true;
    for (const device of this.devices.values()) if (device.fd !== undefined && device.fd > 2) closeSync(device.fd);
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
    if (this.devices.size === 0 || this.closed) return;
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
      token_issue_time: new Date(entry.creationTime).toISOString(),
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
