// A platform whose ml project is synced to two clusters, synthesized through a real App (synth
// writes the manifests beside cdk.tf.json), on Vault or on Infisical.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { App, TerraformStack } from "../../../provider/cdk.ts";
import { Duration, InfisicalBackend, SecretsPlatform, VaultBackend, type IBackendTarget } from "../../../provider/index.ts";
import type { Construct } from "../../../provider/cdk.ts";

export const testCa = "-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIBADAKBggqhkjOPQQDAjAjMSEwHwYDVQQDDBh0ZXN0\n-----END CERTIFICATE-----\n";

export const backends: Record<"vault" | "infisical", () => IBackendTarget> = {
  vault: () => VaultBackend.kvV2({ mount: "secret" }),
  infisical: () => InfisicalBackend.project({ url: "https://secrets.acme.internal", organizationId: "2b1c9d7e-5f3a-4c61-9d0e-7a4b8c2d1e6f" }),
};

export function declareSyncs(scope: Construct, backend: IBackendTarget): SecretsPlatform {
  const platform = new SecretsPlatform(scope, "secrets", { backend });
  const ml = platform.addProject("ml-training", { environments: ["dev", { name: "prod", protected: true }] });
  ml.addSecret("database", { keys: ["username", "password"] });
  ml.addSecret("api/stripe", { keys: ["token"] });
  ml.addSecret("wandb", { keys: ["api_key"] });
  const gpuProd = platform.addKubernetesCluster("gpu-prod", { apiHost: "https://10.0.0.1:6443", caCertificate: testCa, backendAddress: "https://vault.acme.internal:8200", protected: true });
  const gpuDev = platform.addKubernetesCluster("gpu-dev", { apiHost: "https://10.0.1.1:6443", caCertificate: testCa, backendAddress: "https://vault.acme.internal:8200", audience: "secrets" });
  ml.syncToKubernetes({ cluster: gpuProd, namespace: "ml", serviceAccount: "trainer", environment: "prod", paths: ["database", "api/*"],
    refreshAfter: Duration.minutes(1), rolloutRestart: [{ kind: "Deployment", name: "trainer" }] });
  ml.syncToKubernetes({ cluster: gpuDev, namespace: "ml-dev", serviceAccount: "trainer", environment: "dev", paths: ["database"], secretName: "training-db" });
  ml.syncToKubernetes({ cluster: gpuDev, namespace: "ml-dev", serviceAccount: "notebook", environment: "dev", paths: ["wandb"], tokenTtl: Duration.minutes(20) });
  return platform;
}

export interface SynthOutput {
  readonly terraform: any;
  readonly policy: any;
  /** `kubernetes/<file>` → its text, as synth wrote them. */
  readonly files: ReadonlyMap<string, string>;
}

export function synthSyncs(backend: IBackendTarget, declare = declareSyncs): SynthOutput {
  const outdir = mkdtempSync(join(tmpdir(), "kb-k8s-synth-"));
  try {
    const app = new App({ outdir, stackTraces: false });
    declare(new TerraformStack(app, "secrets"), backend);
    app.synth();
    const stackDir = join(outdir, "stacks", "secrets");
    const manifestDir = join(stackDir, "kubernetes");
    const names = readdirSync(stackDir).includes("kubernetes") ? readdirSync(manifestDir).sort() : [];
    return {
      terraform: JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")),
      policy: JSON.parse(readFileSync(join(stackDir, "keybridge.policy.json"), "utf8")),
      files: new Map(names.map((name) => [name, readFileSync(join(manifestDir, name), "utf8")])),
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export function resources(terraform: any, type: string): Record<string, any>[] {
  return Object.values(terraform.resource?.[type] ?? {});
}

/** The YAML documents of a manifest file; a document that fails to parse fails the test. */
export function manifestsOf(text: string): any[] {
  return parseAllDocuments(text).map((document) => {
    if (document.errors.length > 0) throw new Error(`the manifest does not parse: ${document.errors[0]!.message}`);
    return document.toJS();
  }).filter((document) => document !== null);
}

/** `${infisical_identity.<name>.id}` references in Terraform-written text, as the resource's logical name. */
export const identityReference = /\$\{infisical_identity\.([^.}]+)\.id\}/g;
