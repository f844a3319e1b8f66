// Flag values the Kubernetes commands share: a service account as NAMESPACE/NAME, and a duration.
import { UsageError } from "../usage-error.ts";

const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function serviceAccountRef(text: string, flag: string): { namespace: string; serviceAccount: string } {
  const [namespace = "", serviceAccount = "", ...rest] = text.split("/");
  if (rest.length > 0 || !dnsLabel.test(namespace) || serviceAccount === "") {
    throw new UsageError(`${flag} "${text}" is not NAMESPACE/NAME; give e.g. ml-training/trainer (a lowercase DNS-1123 namespace)`);
  }
  return { namespace, serviceAccount };
}

const units: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600 };

/** "600", "600s", "10m", "1h" in seconds. */
export function durationSeconds(text: string, flag: string): number {
  const match = /^(\d+)([smh]?)$/.exec(text.trim());
  if (!match) throw new UsageError(`${flag} "${text}" is not a duration; give e.g. 600s, 10m or 1h`);
  return Number(match[1]) * units[match[2] || "s"]!;
}
