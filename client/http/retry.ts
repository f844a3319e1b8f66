// When and how long to wait before trying a request again: full-jitter exponential backoff, and a
// server's Retry-After when it gives one.

/** Statuses that say "try again": performance standby not caught up (412), rate limit, server trouble. */
const retryableStatuses = new Set([412, 429, 500, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return retryableStatuses.has(status);
}

/** Error codes of a connection that failed or broke, where a new attempt may well succeed. */
const transientCodes = new Set([
  "ECONNRESET", "ECONNREFUSED", "ECONNABORTED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH",
  "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CLOSED",
  "KB_ATTEMPT_TIMEOUT", "KB_INVALID_JSON",
]);

export function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = current.cause;
  }
  return undefined;
}

export function isTransientError(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && transientCodes.has(code);
}

export interface Backoff {
  readonly baseMs: number;
  readonly capMs: number;
}

export const defaultBackoff: Backoff = { baseMs: 200, capMs: 5_000 };

/** Full jitter: uniformly between 0 and min(cap, base·2^attempt), so retrying clients spread out. */
export function backoffDelay(attempt: number, backoff: Backoff = defaultBackoff, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(backoff.capMs, backoff.baseMs * 2 ** attempt));
}

/** Retry-After as seconds or an HTTP date, in milliseconds from `nowMs`; undefined when absent or invalid. */
export function retryAfterMs(header: string | undefined, nowMs: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
