// Synth-time checks of clusters and syncs: names Kubernetes accepts, a namespace and service
// account on every sync, protected environments only on protected clusters.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { TerraformStack, Testing } from "../../../provider/cdk.ts";
import { testingApp } from "../support/testing-app.ts";
import { Duration, KubernetesServiceAccount, SecretsPlatform, VaultBackend, type KubernetesCluster, type KubernetesClusterProps, type SecretsProject } from "../../../provider/index.ts";
import { testCa } from "./sync-fixture.ts";

const clusterProps = (more: Partial<KubernetesClusterProps> = {}): KubernetesClusterProps => ({ apiHost: "https://10.0.0.1:6443", caCertificate: testCa, backendAddress: "https://vault.internal:8200", ...more });

function declare(body: (ml: SecretsProject, clusters: { prod: KubernetesCluster; dev: KubernetesCluster }, platform: SecretsPlatform) => void): TerraformStack {
  const stack = new TerraformStack(testingApp(), "stack");
  const platform = new SecretsPlatform(stack, "secrets", { backend: VaultBackend.kvV2() });
  const ml = platform.addProject("ml", { environments: ["dev", { name: "prod", protected: true }] });
  ml.addSecret("database");
  ml.addSecret("api/stripe");
  const prod = platform.addKubernetesCluster("gpu-prod", clusterProps({ protected: true }));
  const dev = platform.addKubernetesCluster("gpu-dev", clusterProps());
  body(ml, { prod, dev }, platform);
  return stack;
}

function failsSynth(body: Parameters<typeof declare>[0], pattern: RegExp): void {
  const stack = declare(body);
  assert.throws(() => Testing.synth(stack, true), (error: Error) => {
    assert.match(error.message, pattern);
    return true;
  });
}

function failsAtOnce(body: Parameters<typeof declare>[0], pattern: RegExp): void {
  assert.throws(() => declare(body), (error: Error & { code?: string }) => {
    assert.equal(error.code, "KB_CONSTRUCT_INVALID");
    assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, /\n/, "one line");
    return true;
  });
}

describe("syncToKubernetes validation", () => {
  it("synthesizes a valid declaration", () => {
    const stack = declare((ml, { prod, dev }) => {
      ml.syncToKubernetes({ cluster: prod, namespace: "ml", serviceAccount: "trainer", environment: "prod", paths: ["database"] });
      ml.syncToKubernetes({ cluster: dev, namespace: "ml", serviceAccount: "trainer.v2", environment: "dev" });
    });
    assert.doesNotThrow(() => Testing.synth(stack, true));
  });

  it("fails when a protected environment is synced to a cluster not marked protected", () =>
    failsSynth((ml, { dev }) => ml.syncToKubernetes({ cluster: dev, namespace: "ml", serviceAccount: "trainer", environment: "prod", id: "leak" }),
      /\[stack\/secrets\/ml\/leak\] KB_SYNTH_INVALID: protected environment prod of ml may only be synced to a protected cluster; cluster gpu-dev is not/));

  it("fails when the namespace or service account is not a DNS-1123 name, or missing", () => {
    failsAtOnce((ml, { dev }) => ml.syncToKubernetes({ cluster: dev, namespace: "ML_Team", serviceAccount: "trainer", environment: "dev" }), /namespace "ML_Team" is not a DNS-1123 label/);
    failsAtOnce((ml, { dev }) => ml.syncToKubernetes({ cluster: dev, namespace: "ml", serviceAccount: "Trainer", environment: "dev" }), /serviceAccount "Trainer" is not a DNS-1123 subdomain/);
    failsAtOnce((ml, { dev }) => ml.syncToKubernetes({ cluster: dev, namespace: "", serviceAccount: "trainer", environment: "dev" }), /syncToKubernetes: give the namespace/);
    failsAtOnce((ml, { dev }) => ml.syncToKubernetes({ cluster: dev, namespace: "ml", serviceAccount: undefined as unknown as string, environment: "dev" }), /give the service account/);
  });

  it("fails when secretName is not a DNS-1123 subdomain, or names one Secret for several secrets", () => {
    failsAtOnce((ml, { dev }) => ml.syncToKubernetes({ cluster: dev, namespace: "ml", serviceAccount: "trainer", environment: "dev", secretName: "DB" }), /secretName "DB" is not a DNS-1123 subdomain/);
    failsSynth((ml, { dev }) => ml.syncToKubernetes({ cluster: dev, namespace: "ml", serviceAccount: "trainer", environment: "dev", secretName: "all", id: "all" }),
      /KB_SYNTH_INVALID: secretName "all" names one Secret but the paths match 2 secrets \(api\/stripe, database\)/);
  });

  it("fails when a secret's name makes no valid Secret name, asking for secretName", () =>
    failsSynth((ml, { dev }) => {
      ml.addSecret("__");
      ml.syncToKubernetes({ cluster: dev, namespace: "ml", serviceAccount: "trainer", environment: "dev", paths: ["__"], id: "tokens" });
    }, /KB_SYNTH_INVALID: secret __ makes no valid Secret name \("" is not a DNS-1123 subdomain.*\); give secretName/));

  it("fails when the environment is \"*\", unknown, or the paths match nothing", () => {
    failsAtOnce((ml, { dev }) => ml.syncToKubernetes({ cluster: dev, namespace: "ml", serviceAccount: "trainer", environment: "*" }), /environment "\*" syncs no one Secret/);
    failsSynth((ml, { dev }) => ml.syncToKubernetes({ cluster: dev, namespace: "ml", serviceAccount: "trainer", environment: "qa", id: "qa" }), /KB_SYNTH_INVALID: environment "qa" is not an environment of project ml/);
    failsSynth((ml, { dev }) => ml.syncToKubernetes({ cluster: dev, namespace: "ml", serviceAccount: "trainer", environment: "dev", paths: ["wandb"], id: "none" }), /KB_SYNTH_INVALID: path "wandb" matches no secret of project ml/);
  });

  it("fails when refreshAfter is under 5 seconds or a restart target is not a workload kind", () => {
    failsAtOnce((ml, { dev }) => ml.syncToKubernetes({ cluster: dev, namespace: "ml", serviceAccount: "trainer", environment: "dev", refreshAfter: Duration.seconds(2) }), /refreshAfter 2 seconds is shorter than 5 seconds/);
    failsAtOnce((ml, { dev }) => ml.syncToKubernetes({ cluster: dev, namespace: "ml", serviceAccount: "trainer", environment: "dev", rolloutRestart: [{ kind: "Pod" as "Deployment", name: "trainer" }] }), /rolloutRestart kind "Pod" is not one of Deployment, DaemonSet, StatefulSet, argo.Rollout/);
  });

  it("fails when a grant names a service account of a cluster the platform does not declare", () =>
    failsAtOnce((ml) => ml.grantRead(KubernetesServiceAccount.of("elsewhere", "ml", "trainer"), { environment: "dev", id: "stray" }),
      /\/stray: cluster "elsewhere" is not declared on this platform; declare it with platform.addKubernetesCluster/));

  it("accepts a plain read grant to a declared cluster's service account", () => {
    const stack = declare((ml, { dev }) => void ml.grantRead(dev.serviceAccount("ml", "notebook"), { environment: "dev", id: "notebook" }));
    assert.doesNotThrow(() => Testing.synth(stack, true));
  });

  it("fails when the same service account syncs the same environment twice, asking for an id", () =>
    failsAtOnce((ml, { dev }) => {
      ml.syncToKubernetes({ cluster: dev, namespace: "ml", serviceAccount: "trainer", environment: "dev", paths: ["database"] });
      ml.syncToKubernetes({ cluster: dev, namespace: "ml", serviceAccount: "trainer", environment: "dev", paths: ["api/stripe"] });
    }, /a grant with id "k8s-gpu-dev-ml-trainer-dev-sync" exists already/));
});

describe("addKubernetesCluster validation", () => {
  it("fails when the cluster name, API host, CA or backend address is not usable", () => {
    failsAtOnce((_ml, _clusters, platform) => platform.addKubernetesCluster("GPU_prod", clusterProps()), /the cluster name "GPU_prod" is not a DNS-1123 label/);
    failsAtOnce((_ml, _clusters, platform) => platform.addKubernetesCluster("a", clusterProps({ apiHost: "https://10.0.0.1:6443/path?x" })), /apiHost "https:\/\/10.0.0.1:6443\/path\?x" is not a host/);
    failsAtOnce((_ml, _clusters, platform) => platform.addKubernetesCluster("b", clusterProps({ caCertificate: "not a pem" })), /caCertificate holds no PEM certificate/);
    failsAtOnce((_ml, _clusters, platform) => platform.addKubernetesCluster("c", clusterProps({ backendAddress: "vault:8200" })), /backendAddress "vault:8200" is not an http\(s\) URL/);
    failsAtOnce((_ml, _clusters, platform) => platform.addKubernetesCluster("gpu-dev", clusterProps()), /cluster "gpu-dev" is declared twice/);
  });
});
