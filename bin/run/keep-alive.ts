// Keeps a long job's credentials alive: renews the token and the leases of dynamic secrets at two
// thirds of their life, for as long as the child runs. When a maximum TTL stops renewal, it says
// so once, and at expiry warns or signals the child, as asked.
import type { Lease, SecretsBackend, Session } from "../../client/backends/backend.ts";
import { describeError } from "../../policy/errors/keybridge-error.ts";

export interface KeepAliveOptions {
  readonly backend: SecretsBackend;
  readonly session: Session;
  readonly leases: readonly Lease[];
  readonly log: (line: string) => void;
  /** Called before each renewal (a fresh HTTP time budget). */
  readonly beforeRenewal?: () => void;
  /** Called when a credential expires and cannot be renewed. */
  readonly onExpiry: (what: string) => void;
  readonly setTimer?: (callback: () => void, ms: number) => { unref?: () => void } & object;
  readonly clearTimer?: (timer: object) => void;
}

interface Credential {
  readonly what: string;
  readonly renewable: boolean;
  /** Seconds of life the credential was given; each renewal asks for as much again. */
  readonly period: number;
  renew(increment: number): Promise<{ ttlSeconds: number; renewable: boolean }>;
  /** The backend ends a token's leases with the token: nothing is left to renew after it. */
  readonly isToken?: boolean;
}

export class KeepAlive {
  private readonly timers = new Set<object>();
  private stopped = false;
  private readonly setTimer;
  private readonly clearTimer;

  constructor(private readonly options: KeepAliveOptions) {
    this.setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as NodeJS.Timeout));
    const { backend, session } = options;
    if (session.ttlSeconds > 0) {
      this.watch({ what: "the token", renewable: session.renewable, period: session.ttlSeconds, renew: (increment) => backend.renewToken(session, increment), isToken: true }, session.ttlSeconds);
    }
    for (const lease of options.leases) {
      if (lease.durationSeconds <= 0) continue;
      this.watch({ what: `the lease of ${lease.id.replace(/\/[^/]*$/, "")}`, renewable: lease.renewable, period: lease.durationSeconds, renew: (increment) => backend.renewLease(session, lease, increment) }, lease.durationSeconds);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) this.clearTimer(timer);
    this.timers.clear();
  }

  private after(seconds: number, callback: () => void): void {
    const timer = this.setTimer(() => {
      this.timers.delete(timer);
      if (!this.stopped) callback();
    }, Math.max(0, seconds * 1000));
    timer.unref?.();
    this.timers.add(timer);
  }

  private watch(credential: Credential, remaining: number): void {
    if (!credential.renewable) {
      this.options.log(`${credential.what} is not renewable: it expires in ${remaining} s`);
      this.after(remaining, () => this.expired(credential));
      return;
    }
    this.after((remaining * 2) / 3, () => void this.renew(credential, remaining / 3));
  }

  private async renew(credential: Credential, left: number): Promise<void> {
    try {
      this.options.beforeRenewal?.();
      const renewal = await credential.renew(credential.period);
      if (this.stopped) return;
      // A maximum TTL gives less than asked: this is the last renewal that helps.
      if (renewal.ttlSeconds < credential.period || !renewal.renewable) {
        this.options.log(`${credential.what} reached its maximum lifetime: renewal is no longer possible; it expires in ${renewal.ttlSeconds} s`);
        this.after(renewal.ttlSeconds, () => this.expired(credential));
        return;
      }
      this.options.log(`renewed ${credential.what} for ${renewal.ttlSeconds} s`);
      this.watch(credential, renewal.ttlSeconds);
    } catch (error) {
      if (this.stopped) return;
      this.options.log(`renewing ${credential.what} failed (${describeError(error)}); it expires in ${Math.round(left)} s`);
      this.after(left, () => this.expired(credential));
    }
  }

  private expired(credential: Credential): void {
    if (credential.isToken && this.options.leases.length > 0) {
      this.options.log("the leases of dynamic secrets ended with the token");
      this.stop();
    }
    this.options.onExpiry(credential.what);
  }
}
