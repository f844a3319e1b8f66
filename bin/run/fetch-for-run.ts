// The common part of `keybridge run` and `keybridge env`: log in, read, select, all or nothing.
import { HttpClient } from "../../client/http/http-client.ts";
import { readSecrets } from "../../client/read-secrets.ts";
import { selectSecrets, type SelectedSecret } from "../../client/select-secrets.ts";
import type { Lease, SecretsBackend, Session } from "../../client/backends/backend.ts";
import { describeError } from "../../policy/errors/keybridge-error.ts";
import { checkEnvironmentSize } from "../../client/environment-limits.ts";
import { authenticate, createBackend } from "./authenticate.ts";
import type { RunSettings } from "./run-settings.ts";

export interface Fetched {
  readonly http: HttpClient;
  readonly backend: SecretsBackend;
  readonly session: Session;
  readonly secrets: readonly SelectedSecret[];
  readonly leases: readonly Lease[];
}

export interface FetchForRunOptions {
  /** What a refusal means for the command, as a sentence: "The command was not started". */
  readonly consequence: string;
  /** Set when the values go into an environment: where values too large for one go instead. */
  readonly sizeFix?: string;
}

export async function fetchForRun(settings: RunSettings, log: (line: string) => void, options: FetchForRunOptions): Promise<Fetched> {
  const http = new HttpClient({ timeoutMs: 60_000, retries: 4, log });
  const backend = createBackend(http, settings);
  let session: Session;
  try {
    session = await authenticate(backend, http, settings);
  } catch (error) {
    await http.close();
    throw error;
  }
  const leases: Lease[] = [];
  try {
    const { reads } = await readSecrets(backend, session, settings.secrets, { ignoreNotFound: false, warn: log, consequence: options.consequence });
    for (const read of reads.values()) if (read.lease) leases.push(read.lease);
    const consequence = options.consequence.toLowerCase();
    const secrets = selectSecrets(settings.secrets, reads, {
      allowNames: settings.allowNames, allowNamesHow: "--allow-names (or allowNames in keybridge.yml)", consequence, warn: (line) => log(`warning: ${line}`),
    });
    if (options.sizeFix) checkEnvironmentSize(secrets.map((secret) => [secret.envName, secret.value]), process.env, { consequence, fix: options.sizeFix });
    return { http, backend, session, secrets, leases };
  } catch (error) {
    // Failing closed also ends what the failed attempt already holds: the token and any lease.
    // Leases of the paths that were read are not known here, so only Keybridge's own token can
    // take them along; a user's token is left as it is.
    await revokeAll({ http, backend, session, secrets: [], leases }, log);
    throw error;
  }
}

/**
 * Revokes what Keybridge created: its own token, and with it the token's leases; with a token the
 * user gave, each lease (which that token's policies may not allow). Never throws: what cannot be
 * revoked is said, and dies at the end of its TTL.
 */
export async function revokeAll(fetched: Fetched, log: (line: string) => void): Promise<void> {
  const { http, backend, session, leases } = fetched;
  http.startBudget(20_000);
  try {
    if (session.owned) {
      const outcome = await backend.revoke(session.token);
      log(outcome === "revoked" ? "revoked the token and its leases" : "the token had already expired, and its leases with it");
      return;
    }
    let revoked = 0;
    for (const lease of leases) {
      try {
        await backend.revokeLease(session, lease);
        revoked++;
      } catch (error) {
        log(`could not revoke a lease (${describeError(error)}); it ends at its TTL (your token stays valid: it is yours)`);
      }
    }
    if (revoked > 0) log(`revoked ${revoked} lease${revoked === 1 ? "" : "s"} (the token was yours and stays valid)`);
  } catch (error) {
    log(`revoking failed: ${describeError(error)}; the token and its leases end at their TTL`);
  } finally {
    await http.close();
  }
}
