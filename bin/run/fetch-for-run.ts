// The common part of `keybridge run` and `keybridge env`: log in, read, select, all or nothing.
import { HttpClient } from "../../action/http/http-client.ts";
import { readSecrets } from "../../action/read-secrets.ts";
import { selectSecrets, type SelectedSecret } from "../../action/select-secrets.ts";
import type { Lease, SecretsBackend, Session } from "../../action/backends/backend.ts";
import { authenticate, createBackend } from "./authenticate.ts";
import type { RunSettings } from "./run-settings.ts";

export interface Fetched {
  readonly http: HttpClient;
  readonly backend: SecretsBackend;
  readonly session: Session;
  readonly secrets: readonly SelectedSecret[];
  readonly leases: readonly Lease[];
}

export async function fetchForRun(settings: RunSettings, log: (line: string) => void): Promise<Fetched> {
  const http = new HttpClient({ timeoutMs: 60_000, retries: 4, log });
  try {
    const backend = createBackend(http, settings);
    const session = await authenticate(backend, http, settings);
    const { reads } = await readSecrets(backend, session, settings.secrets, { ignoreNotFound: false, warn: log, consequence: "The command was not started" });
    const secrets = selectSecrets(settings.secrets, reads);
    const leases = [...reads.values()].flatMap((read) => (read.lease ? [read.lease] : []));
    return { http, backend, session, secrets, leases };
  } catch (error) {
    await http.close();
    throw error;
  }
}

/** Revokes what Keybridge created: its own token (its leases die with it), or else each lease. */
export async function revokeAll(fetched: Fetched, log: (line: string) => void): Promise<void> {
  const { http, backend, session, leases } = fetched;
  http.startBudget(20_000);
  try {
    if (session.owned) {
      const outcome = await backend.revoke(session.token);
      log(outcome === "revoked" ? "revoked the token and its leases" : "the token had already expired");
      return;
    }
    for (const lease of leases) await backend.revokeLease(session, lease);
    if (leases.length > 0) log(`revoked ${leases.length} lease${leases.length === 1 ? "" : "s"} (the token was yours and stays valid)`);
  } finally {
    await http.close();
  }
}
