// A few Vault HTTP API calls made with an admin token. Only documented Vault endpoints are used, so
// the same setup runs against `keybridge dev` and against a real `vault server -dev` / `bao server -dev`.

export interface VaultAdmin {
  readonly addr: string;
  readonly token: string;
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

export async function vaultRequest(admin: VaultAdmin, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${admin.addr}/v1/${path}`, {
    method,
    headers: { "X-Vault-Token": admin.token, "X-Vault-Request": "true", "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text === "" ? undefined : JSON.parse(text);
  if (!response.ok) throw new VaultApiError(response.status, json?.errors ?? [], method, path);
  return json;
}

/** Enables a mount unless something is already mounted there (dev servers pre-mount `secret/`). */
export async function enableOnce(admin: VaultAdmin, kind: "auth" | "mounts", path: string, body: unknown): Promise<void> {
  try {
    await vaultRequest(admin, "POST", `sys/${kind}/${path}`, body);
  } catch (error) {
    if (!(error instanceof VaultApiError && error.errors.some((e) => e.includes("already in use")))) throw error;
  }
}
