// `keybridge sync`: the Secrets the Vault Secrets Operator and the Infisical operator would create
// in one namespace, from their manifests and keybridge dev, written as a pod's secret volume.
// Values go only into 0600 files; the terminal sees names and counts.
import { parseArgs } from "node:util";
import { HttpClient } from "../client/http/http-client.ts";
import { UsageError } from "./usage-error.ts";
import { devBackendAccess } from "./kubernetes/flags.ts";
import { isKubernetesName } from "../policy/kubernetes/names.ts";
import { readManifests } from "./sync/read-manifests.ts";
import { Logins, type DevTarget } from "./sync/dev-session.ts";
import { syncVaultSecrets } from "./sync/vault-sync.ts";
import { syncInfisicalSecrets } from "./sync/infisical-sync.ts";
import { ManifestError } from "./sync/manifest-error.ts";
import type { SyncedSecret } from "./sync/secret-data.ts";
import { writeSecretVolume } from "./sync/write-secret-volume.ts";
import { compareText } from "../policy/text-order.ts";

export const syncHelp = `Usage: keybridge sync --manifests DIR|FILE --namespace NS --to OUT [flags]

Writes the Kubernetes Secrets that the Vault Secrets Operator (VaultStaticSecret,
VaultDynamicSecret) and the Infisical operator (InfisicalSecret) would create in namespace NS,
reading from keybridge dev as the operator reads from the backend: it mints a token of the
VaultAuth's (or InfisicalSecret's) service account, logs in with its role at its mount (or its
identity), and reads. A role that does not admit that service account fails here as in the
cluster. Each Secret becomes OUT/<secret name>/<key> (files 0600, directories 0700), the shape of a
mounted secret volume. Only names and counts are printed, never values.

Flags:
  --manifests PATH   the operator manifests: a multi-document YAML file, or a directory of them
  --namespace NS     the namespace whose Secrets to write
  --to OUT           the directory to write them under
  --cluster HOST     mint every token in this cluster (its API host); default: the cluster each
                     Vault Kubernetes auth mount's config names, and for Infisical the only one
  --addr URL         keybridge dev's address (default VAULT_ADDR); the manifests' own addresses
                     (VaultConnection.address, hostAPI) name production and are not called
  --root-token T     keybridge dev's root token, to mint service-account tokens (default VAULT_TOKEN)
`;

interface SyncFlags {
  readonly manifests: string;
  readonly namespace: string;
  readonly out: string;
  readonly target: Omit<DevTarget, "http">;
}

function parseSyncFlags(args: readonly string[], env: NodeJS.ProcessEnv): SyncFlags {
  // A flag parseArgs refuses is worded by the table of commands (bin/keybridge.ts), as for every command.
  const { values } = parseArgs({
    args: [...args],
    options: { manifests: { type: "string" }, namespace: { type: "string" }, to: { type: "string" }, cluster: { type: "string" }, addr: { type: "string" }, "root-token": { type: "string" } },
    strict: true,
  });
  for (const flag of ["manifests", "namespace", "to"] as const) if (!values[flag]) throw new UsageError(`--${flag} is required; see keybridge sync --help`);
  if (!isKubernetesName(values.namespace, "label")) throw new UsageError(`--namespace "${values.namespace}" is not a Kubernetes namespace (a DNS-1123 label)`);
  const { addr, rootToken } = devBackendAccess(values.addr, values["root-token"], env);
  return { manifests: values.manifests!, namespace: values.namespace!, out: values.to!, target: { addr, rootToken, cluster: values.cluster } };
}

/** Two resources writing one Secret would fight over it in the cluster. */
function checkDistinct(secrets: readonly SyncedSecret[]): void {
  const seen = new Map<string, string>();
  for (const secret of secrets) {
    const earlier = seen.get(secret.secretName);
    if (earlier) throw new ManifestError(`${earlier} and ${secret.source} both write Secret ${secret.namespace}/${secret.secretName}; give each its own destination name`);
    seen.set(secret.secretName, secret.source);
  }
}

export async function syncCommand(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const flags = parseSyncFlags(args, env);
  const objects = readManifests(flags.manifests);
  const http = new HttpClient({ timeoutMs: 10_000, retries: 1 });
  const logins = new Logins();
  let secrets: SyncedSecret[];
  try {
    const target = { ...flags.target, http };
    // Everything is read before anything is written: a refusal leaves OUT as it was.
    secrets = [...await syncVaultSecrets(objects, flags.namespace, target, logins), ...await syncInfisicalSecrets(objects, flags.namespace, target, logins)];
  } finally {
    await logins.revokeAll();
    await http.close();
  }
  checkDistinct(secrets);
  if (secrets.length === 0) {
    process.stderr.write(`keybridge sync: no VaultStaticSecret, VaultDynamicSecret or InfisicalSecret in ${flags.manifests} writes a Secret into namespace ${flags.namespace}\n`);
    return 1;
  }
  for (const secret of [...secrets].sort((a, b) => compareText(a.secretName, b.secretName))) {
    const directory = writeSecretVolume(flags.out, secret);
    const keys = [...secret.data.keys()].sort();
    process.stdout.write(`${secret.namespace}/${secret.secretName}: ${keys.length} key${keys.length === 1 ? "" : "s"} (${keys.join(", ")}) → ${directory}/  [${secret.source}]\n`);
  }
  return 0;
}
