// One line of Vault's file audit device, read for the drill: who (the token's display name,
// policies, login metadata and HMAC-ed accessor) did what (operation, API path) when and from
// where. Only response lines count: Vault writes a request line and a response line for each
// request, and the response line is the one that says whether the request went through.
import * as z from "zod";

export interface AuditRead {
  /** The line's `time`, as written (RFC 3339). */
  readonly time: string;
  readonly timeMs: number;
  readonly operation: string;
  /** The API path: `secret/data/app`, `database/creds/ro`. */
  readonly path: string;
  readonly mountType: string;
  /** `hmac-sha256:<hex>`: the token's accessor as the device's salt hashed it ("" when no token). */
  readonly accessorHmac: string;
  readonly displayName: string;
  readonly policies: readonly string[];
  /** What the login wrote on the token: `role` and the claim_mappings of a JWT login. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly remoteAddress: string;
  readonly requestId: string;
  /** The backend refused the request (permission denied, an expired token): nothing was read. */
  readonly refused: boolean;
}

export type AuditLine =
  | { readonly kind: "response"; readonly entry: AuditRead }
  /** Valid JSON that is not a Vault response line: a request line, an Infisical event line. */
  | { readonly kind: "other" }
  | { readonly kind: "bad" };

const responseLine = z.object({
  time: z.string(),
  type: z.literal("response"),
  auth: z
    .object({
      accessor: z.string().nullish(),
      display_name: z.string().nullish(),
      policies: z.array(z.string()).nullish(),
      metadata: z.record(z.string(), z.string()).nullish(),
    })
    .nullish(),
  request: z.object({
    id: z.string().nullish(),
    operation: z.string(),
    path: z.string(),
    mount_type: z.string().nullish(),
    client_token_accessor: z.string().nullish(),
    remote_address: z.string().nullish(),
  }),
  error: z.string().nullish(),
});

export function parseAuditLine(line: string): AuditLine {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { kind: "bad" };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return { kind: "bad" };
  if ((json as { type?: unknown }).type !== "response") return { kind: "other" };
  const parsed = responseLine.safeParse(json);
  if (!parsed.success) return { kind: "bad" };
  const { time, auth, request, error } = parsed.data;
  const timeMs = Date.parse(time);
  if (Number.isNaN(timeMs)) return { kind: "bad" };
  return {
    kind: "response",
    entry: {
      time,
      timeMs,
      operation: request.operation,
      path: request.path.replace(/^\/+/, ""),
      mountType: request.mount_type ?? "",
      accessorHmac: auth?.accessor || request.client_token_accessor || "",
      displayName: auth?.display_name ?? "",
      policies: auth?.policies ?? [],
      metadata: auth?.metadata ?? {},
      remoteAddress: request.remote_address ?? "",
      requestId: request.id ?? "",
      refused: (error ?? "") !== "",
    },
  };
}
