// The one admin client for the dev backend's Vault API (and any real Vault or OpenBao): tests,
// suites, benchmarks and the demo set up and inspect a backend through it. Only documented Vault
// endpoints are used, so the same setup runs against `keybridge dev` and `vault server -dev`.
// The product's own Vault calls (dev/terraform/vault-api.ts, the Action's backends) stay apart:
// the product may not import testkit/.

export interface VaultAdmin {
  readonly addr: string;
  readonly token: string;
}

export interface VaultReply {
  readonly status: number;
  /** The JSON body; undefined when the body is empty or not JSON (then see `text`). */
  readonly body: any;
  readonly text: string;
  readonly headers: Headers;
}

export interface VaultCallOptions {
  /** Another token than the admin's: a client's. */
  readonly token?: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

export class VaultApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: readonly string[],
    method: string,
    path: string,
  ) {
    super(`${method} /v1/${path} answered ${status}: ${errors.join("; ") || "(no message)"}`);
  }
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * One Vault API call; `path` is relative to /v1/. Answers whatever the server answered (redirects
 * included, they are not followed), so callers can assert on refusals.
 */
export async function vaultCall(admin: VaultAdmin, method: string, path: string, options: VaultCallOptions = {}): Promise<VaultReply> {
  const token = options.token ?? admin.token;
  const response = await fetch(`${admin.addr}/v1/${path}`, {
    method,
    redirect: "manual",
    headers: {
      "X-Vault-Token": token,
      ...(options.body === undefined ? {} : { "Content-Type": "application/json" }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    ...(options.timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(options.timeoutMs) }),
  });
  const text = await response.text();
  return { status: response.status, body: parseJson(text), text, headers: response.headers };
}

/** A Vault API call that must succeed: answers the JSON body, throws VaultApiError otherwise. */
export async function vaultRequest(admin: VaultAdmin, method: string, path: string, body?: unknown): Promise<any> {
  const reply = await vaultCall(admin, method, path, { body, headers: { "X-Vault-Request": "true" } });
  if (reply.status < 200 || reply.status >= 300) throw new VaultApiError(reply.status, reply.body?.errors ?? [], method, path);
  return reply.body;
}

/** Enables a mount unless something is already mounted there (dev servers pre-mount `secret/`). */
export async function enableOnce(admin: VaultAdmin, kind: "auth" | "mounts", path: string, body: unknown): Promise<void> {
  try {
    await vaultRequest(admin, "POST", `sys/${kind}/${path}`, body);
  } catch (error) {
    if (!(error instanceof VaultApiError && error.errors.some((e) => e.includes("already in use")))) throw error;
  }
}

/** Writes one KV v2 secret as the admin: `mount/data/path`. */
export async function writeKvSecret(admin: VaultAdmin, path: string, data: Readonly<Record<string, unknown>>, mount = "secret"): Promise<void> {
  await vaultRequest(admin, "POST", `${mount}/data/${path}`, { data });
}

/** The admin of a running dev backend, from its JSON line. */
export function devVaultAdmin(info: { readonly vault: { readonly addr: string; readonly rootToken: string } }): VaultAdmin {
  return { addr: info.vault.addr, token: info.vault.rootToken };
}
