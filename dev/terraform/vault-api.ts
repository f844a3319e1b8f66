// The Vault API as Terraform's provider uses it: HTTP calls with the root token, to the dev
// backend's own address (so every request is routed, ACL-checked, validated and audited like a
// setup script's), and one-line errors that name the call and repeat Vault's own message.
import { ApplyProblem } from "./problems.ts";

export interface VaultAnswer {
  readonly status: number;
  /** The parsed JSON body; undefined for 204. */
  readonly body: any;
}

export interface VaultApi {
  call(method: "GET" | "POST" | "PUT" | "DELETE" | "LIST", path: string, body?: unknown): Promise<VaultAnswer>;
}

/** Path segments are encoded one by one; "." / ".." / "//" would be redirected, so they are refused. */
export function encodeVaultPath(path: string): string {
  const segments = path.split("/");
  if (segments.some((segment, index) => segment === "." || segment === ".." || (segment === "" && index < segments.length - 1))) {
    throw new ApplyProblem(`the Vault path "${path}" has empty, "." or ".." segments; write it without them`);
  }
  return segments.map(encodeURIComponent).join("/");
}

/** `send` is fetch, or one that presents the dev server's own certificate when it listens with TLS. */
export function httpVaultApi(addr: string, token: string, send: typeof fetch = fetch): VaultApi {
  return {
    async call(method, path, body) {
      const response = await send(`${addr}/v1/${encodeVaultPath(path)}`, {
        method,
        redirect: "manual",
        headers: { "X-Vault-Token": token, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text === "" ? undefined : JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      return { status: response.status, body: parsed };
    },
  };
}

/** The call's `data` on success; otherwise an ApplyProblem quoting Vault's errors. */
export async function vaultData(api: VaultApi, method: Parameters<VaultApi["call"]>[0], path: string, body?: unknown): Promise<any> {
  const answer = await api.call(method, path, body);
  if (answer.status >= 200 && answer.status < 300) return answer.body?.data ?? undefined;
  const errors: unknown = answer.body?.errors;
  const said = Array.isArray(errors) && errors.length > 0 ? errors.map((error) => String(error).replace(/\s+/g, " ").trim()).join("; ") : "no message";
  throw new ApplyProblem(`Vault answered ${method} ${path} with ${answer.status}: ${said}`);
}
