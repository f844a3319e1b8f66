// The example platform's secret policy, whatever the backend: two projects, three environments
// each, CI access for several repositories bound to branch, tag, environment and runner, an admin
// SSO group per project, rotation rules (by people, by the backend, and generated values), and the
// training clusters' operators syncing ml-training's secrets into Kubernetes Secrets. main.ts puts
// it on Vault, infisical.ts on Infisical.
import {
  Duration, GitHubOidc, InfisicalBackend, Rotation, SecretsPlatform, SsoGroup, type IBackendTarget, type TerraformStack,
} from "../../provider/index.ts";

export function declarePlatform(stack: TerraformStack, backend: IBackendTarget): SecretsPlatform {
  const platform = new SecretsPlatform(stack, "platform", { backend });

  const ml = platform.addProject("ml-training", { environments: ["dev", "staging", { name: "prod", protected: true }] });
  ml.addSecret("database", { keys: ["username", "password"], rotation: Rotation.every(Duration.days(30)) });
  ml.addSecret("api", { keys: ["token", "signing_key"], rotation: Rotation.every(Duration.days(90)) });
  ml.addSecret("wandb", { keys: ["api_key"] });
  // A secret between our own services: `keybridge rotate` makes a new value every 30 days.
  ml.addSecret("webhook", { keys: ["signing_key"], rotation: Rotation.generate({ every: Duration.days(30), format: "base64url", length: 48 }) });

  // Production training runs only from main, in the prod environment, on the self-hosted GPU fleet.
  ml.grantRead(GitHubOidc.repository("acme/training", { ref: "refs/heads/main", environment: "prod", runner: "self-hosted" }),
    { id: "ci-prod", environment: "prod", paths: ["database", "api"], tokenTtl: Duration.minutes(10) });
  // Any branch may train against dev data.
  ml.grantRead(GitHubOidc.repository("acme/training", { refPattern: "refs/heads/*", events: ["push", "workflow_dispatch"] }),
    { id: "ci-dev", environment: "dev", tokenTtl: Duration.minutes(15) });
  // The shared evaluation workflow of any repository of acme reads staging experiment tracking.
  ml.grantRead(GitHubOidc.organization("acme", { workflow: "acme/ci-templates/.github/workflows/evaluate.yml@refs/heads/main" }),
    { id: "eval-staging", environment: "staging", paths: ["wandb"] });
  ml.grantReadWrite(SsoGroup.named("okta:ml-platform-admins"), { id: "admins", environment: "*", tokenTtl: Duration.hours(1) });

  // Training jobs on the GPU clusters read the database and tracking secrets from Kubernetes
  // Secrets that the cluster's operator keeps in sync; only the protected cluster gets prod.
  const gpuProd = platform.addKubernetesCluster("gpu-prod", {
    apiHost: "https://gpu-prod.k8s.acme.internal:6443", caCertificate: clusterCa("gpu-prod"), backendAddress: backendAddress(backend), protected: true,
  });
  const gpuDev = platform.addKubernetesCluster("gpu-dev", {
    apiHost: "https://gpu-dev.k8s.acme.internal:6443", caCertificate: clusterCa("gpu-dev"), backendAddress: backendAddress(backend),
  });
  ml.syncToKubernetes({ cluster: gpuProd, namespace: "ml", serviceAccount: "trainer", environment: "prod", paths: ["database", "wandb"],
    refreshAfter: Duration.minutes(5), rolloutRestart: [{ kind: "Deployment", name: "trainer" }] });
  ml.syncToKubernetes({ cluster: gpuDev, namespace: "ml", serviceAccount: "trainer", environment: "dev", paths: ["database"], secretName: "training-database",
    refreshAfter: Duration.minutes(1) });

  const payments = platform.addProject("payments", { environments: ["dev", "staging", { name: "prod", protected: true }] });
  payments.addSecret("stripe", { keys: ["api_key", "webhook_secret"], rotation: Rotation.every(Duration.days(30)) });
  payments.addSecret("database", { keys: ["url"], rotation: Rotation.byBackend(Duration.days(7)) });
  // Releases are cut from tags and deployed through the prod environment's required reviewers.
  payments.grantRead(GitHubOidc.repository("acme/payments-api", { refPattern: "refs/tags/v*", environment: "prod", runner: "self-hosted" }),
    { id: "deploy-prod", environment: "prod", tokenTtl: Duration.minutes(5) });
  payments.grantRead(GitHubOidc.repository("acme/payments-api", { ref: "refs/heads/main" }), { id: "deploy-staging", environment: "staging" });
  payments.grantReadWrite(SsoGroup.named("okta:payments-admins"), { id: "admins", environment: "*", tokenTtl: Duration.hours(1) });
  return platform;
}

/** Where the clusters' operators reach the backend: the example's Vault or Infisical address. */
function backendAddress(backend: IBackendTarget): string {
  return backend instanceof InfisicalBackend ? "https://secrets.acme.internal" : "https://vault.acme.internal:8200";
}

/** A stand-in for the cluster's CA certificate (kubectl config view --raw, or the cluster's ca.crt). */
function clusterCa(cluster: string): string {
  return `-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIBADAKBggqhkjOPQQDAjAjMSEwHwYDVQQDDBhrM3Mtc2VydmVyLWNh\n${Buffer.from(cluster).toString("base64")}\n-----END CERTIFICATE-----\n`;
}
