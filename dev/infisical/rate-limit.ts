// Infisical's rate limit: a fixed 60-second window of requests per client address. Past the
// limit a request is answered 429 with Retry-After (seconds left in the window); 0 turns it off.

const windowMs = 60_000;

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number,
  ) {}

  /** Undefined when the request may go ahead, else the seconds to wait. */
  take(client: string): number | undefined {
    if (this.perMinute <= 0) return undefined;
    const now = this.now();
    if (this.windows.size > 10_000) for (const [key, window] of this.windows) if (now - window.start >= windowMs) this.windows.delete(key);
    let window = this.windows.get(client);
    if (!window || now - window.start >= windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(client, window);
    }
    if (window.count >= this.perMinute) return Math.max(1, Math.ceil((window.start + windowMs - now) / 1000));
    window.count++;
    return undefined;
  }
}
