// Flag values the Kubernetes commands share: keybridge dev's address and root token, a service
// account as NAMESPACE/NAME, and a duration.
import { UsageError } from "../usage-error.ts";
import { isKubernetesName } from "../../policy/kubernetes/names.ts";

export function serviceAccountRef(text: string, flag: string): { namespace: string; serviceAccount: string } {
  const [namespace = "", serviceAccount = "", ...rest] = text.split("/");
  if (rest.length > 0 || !isKubernetesName(namespace, "label") || serviceAccount === "") {
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

/** keybridge dev's address (--addr, else VAULT_ADDR) and root token (--root-token, else VAULT_TOKEN). */
export function devBackendAccess(addrFlag: string | undefined, rootTokenFlag: string | undefined, env: NodeJS.ProcessEnv): { addr: URL; rootToken: string } {
  const addrText = addrFlag ?? env.VAULT_ADDR;
  if (!addrText) throw new UsageError("no address: give --addr or export VAULT_ADDR (keybridge dev prints it)");
  const rootToken = rootTokenFlag ?? env.VAULT_TOKEN;
  if (!rootToken) throw new UsageError("no root token: give --root-token or export VAULT_TOKEN (keybridge dev prints it)");
  try {
    return { addr: new URL(addrText), rootToken };
  } catch {
    throw new UsageError(`address "${addrText}" is not a URL; give keybridge dev's, e.g. http://127.0.0.1:8200`);
  }
}
