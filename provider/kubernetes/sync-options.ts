// `project.syncToKubernetes(options)`: what a caller gives, the checks made at once (names, kinds,
// durations) and at synth (environments, the secrets the paths match, protected clusters).
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import { kubernetesNameProblem } from "../../policy/kubernetes/names.ts";
import { pathCoversSecret } from "../../policy/paths.ts";
import type { Duration } from "../duration.ts";
import type { KubernetesCluster } from "./cluster.ts";
import { objectName } from "./manifests.ts";
import type { RolloutRestartTarget, SyncedSecret } from "./sync-spec.ts";

export interface KubernetesSyncOptions {
  /** The cluster, from `platform.addKubernetesCluster()`. */
  readonly cluster: KubernetesCluster;
  /** The namespace the Secrets are written to, and the service account lives in. */
  readonly namespace: string;
  /** The service account the operator logs in as (it must exist before the first sync). */
  readonly serviceAccount: string;
  /** One environment of the project (not "*": a Secret holds one environment's values). */
  readonly environment: string;
  /** Secrets of the project or folder globs ("api/*"); each matched secret becomes one Kubernetes Secret. @default ["*"] */
  readonly paths?: readonly string[];
  /** The Kubernetes Secret's name, when one secret is synced. @default the secret's name, "/" read as "-" */
  readonly secretName?: string;
  /** How often the operator reads the secret again. @default the operator's own (VSO: on lease/none; Infisical: 5 minutes) */
  readonly refreshAfter?: Duration;
  /** Workloads restarted when the Secret changes (the Vault Secrets Operator only). @default none */
  readonly rolloutRestart?: readonly RolloutRestartTarget[];
  /** Lifetime of the backend token the operator's login gets. @default the platform's defaultTokenTtl */
  readonly tokenTtl?: Duration;
  /** The grant's id. @default "k8s-<cluster>-<namespace>-<serviceAccount>-<environment>-sync" */
  readonly id?: string;
}

const restartKinds = new Set(["Deployment", "DaemonSet", "StatefulSet", "argo.Rollout"]);
/** The Infisical operator's floor for its resync interval. */
const minRefreshSeconds = 5;

/** Checks that need nothing but the options; throws on the first problem. */
export function checkSyncOptions(at: string, options: KubernetesSyncOptions): void {
  const fail = (message: string) => {
    throw new KeybridgeError("KB_CONSTRUCT_INVALID", `${at}: syncToKubernetes: ${message}`);
  };
  if (!options.cluster) fail("give the cluster (platform.addKubernetesCluster())");
  if (!options.namespace) fail("give the namespace the Secret goes to");
  if (!options.serviceAccount) fail("give the service account the operator logs in as");
  if (options.environment === "*") fail(`environment "*" syncs no one Secret; give one environment and sync each on its own`);
  if (options.secretName !== undefined) {
    const problem = kubernetesNameProblem(options.secretName, "subdomain");
    if (problem) fail(`secretName ${problem}`);
  }
  if (options.refreshAfter !== undefined && options.refreshAfter.toSeconds() < minRefreshSeconds) {
    fail(`refreshAfter ${options.refreshAfter.toString()} is shorter than ${minRefreshSeconds} seconds; give a longer period`);
  }
  for (const target of options.rolloutRestart ?? []) {
    if (!restartKinds.has(target.kind)) fail(`rolloutRestart kind "${target.kind}" is not one of ${[...restartKinds].join(", ")}`);
    const problem = kubernetesNameProblem(target.name, "subdomain");
    if (problem) fail(`rolloutRestart name ${problem}`);
  }
}

/** The project's secrets the paths match, in name order, each with its Kubernetes Secret's name. */
export function syncedSecrets(paths: readonly string[], secrets: readonly string[], secretName: string | undefined): SyncedSecret[] {
  const matched = [...secrets].sort().filter((secret) => paths.some((path) => pathCoversSecret(path, secret)));
  return matched.map((secret) => ({ secret, destination: secretName ?? objectName(secret.replace(/\//g, "-")) }));
}

export interface SyncFacts {
  readonly project: string;
  readonly cluster: KubernetesCluster;
  readonly environment: { readonly name: string; readonly protected: boolean } | undefined;
  readonly synced: readonly SyncedSecret[];
  readonly secretName: string | undefined;
}

/** What stops synth; the grant's own checks (environment, paths, TTLs) run beside these. */
export function syncProblems(facts: SyncFacts): string[] {
  const problems: string[] = [];
  const { cluster, environment, synced } = facts;
  if (environment?.protected && !cluster.isProtected) {
    problems.push(`protected environment ${environment.name} of ${facts.project} may only be synced to a protected cluster; cluster ${cluster.clusterName} is not (give it protected: true, or sync another environment)`);
  }
  if (synced.length === 0) problems.push(`the paths match no secret of ${facts.project}; declare the secret with addSecret() or fix paths`);
  if (facts.secretName !== undefined && synced.length > 1) {
    problems.push(`secretName "${facts.secretName}" names one Secret but the paths match ${synced.length} secrets (${synced.map((entry) => entry.secret).join(", ")}); sync them one by one or leave secretName out`);
  }
  for (const { secret, destination } of synced) {
    const problem = kubernetesNameProblem(destination, "subdomain");
    if (problem) problems.push(`secret ${secret} makes no valid Secret name (${problem}); give secretName`);
  }
  return problems.map((problem) => `KB_SYNTH_INVALID: ${problem}`);
}
