// How sync reaches keybridge dev: its address and root token, the cluster whose token a pod
// would present, and the logins made along the way (revoked at the end, leases with them).
import type { HttpClient } from "../../client/http/http-client.ts";
import type { SecretsBackend, Session } from "../../client/backends/backend.ts";
import { requestServiceAccountToken } from "../kubernetes/request-token.ts";

export interface DevTarget {
  readonly addr: URL;
  readonly rootToken: string;
  /** --cluster: every token is minted there; otherwise in the cluster each login's config names. */
  readonly cluster: string | undefined;
  readonly http: HttpClient;
}

export class Logins {
  private readonly sessions = new Map<string, Promise<{ backend: SecretsBackend; session: Session }>>();

  /** One login per key (an auth object and the namespace whose service account it uses). */
  once(key: string, login: () => Promise<{ backend: SecretsBackend; session: Session }>): Promise<{ backend: SecretsBackend; session: Session }> {
    let pending = this.sessions.get(key);
    if (!pending) {
      pending = login();
      this.sessions.set(key, pending);
    }
    return pending;
  }

  async revokeAll(): Promise<void> {
    const settled = await Promise.allSettled(this.sessions.values());
    await Promise.allSettled(settled.flatMap((entry) => (entry.status === "fulfilled" ? [entry.value.backend.revoke(entry.value.session.token)] : [])));
  }
}

/** The service account's token, as the operator would request it by TokenRequest. */
export async function serviceAccountToken(target: DevTarget, cluster: string, account: { namespace: string; name: string }, audiences: readonly string[], expirationSeconds: number | undefined): Promise<string> {
  const minted = await requestServiceAccountToken({
    addr: target.addr, rootToken: target.rootToken, cluster, namespace: account.namespace, serviceAccount: account.name, audiences, expirationSeconds,
  });
  return minted.token;
}
