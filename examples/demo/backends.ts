// What differs between the demo on Vault and on Infisical: which app is synthesized, how the dev
// backend is started and seeded, and the Action's inputs. Everything else is the same journey.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { launchDevBackend, type RunningDevBackend } from "../../testkit/launch-dev-backend.ts";
import { mergeTerraform, readTerraform, seededSecret, writeTerraform } from "../../testkit/infisical-seed.ts";
import type { DemoSecrets } from "../../testkit/demo-setup.ts";
import { devVaultAdmin, writeKvSecret } from "../../testkit/admin/vault.ts";

export interface DemoBackend {
  readonly name: "vault" | "infisical";
  /** The example app for this backend, relative to examples/ml-platform/. */
  readonly appFile: "main.ts" | "infisical.ts";
  /** Starts keybridge dev with the synthesized file, the values in place. */
  start(cdkTfJson: string, secrets: DemoSecrets, work: string): Promise<RunningDevBackend>;
  /** The Action's inputs for the production job of ml-training, and how the log names the grant. */
  inputs(backend: RunningDevBackend): { inputs: Record<string, string>; grant: string };
}

const prodSecrets = (secrets: DemoSecrets) => ({ database: secrets.database, api: secrets.api });

export const vaultDemo: DemoBackend = {
  name: "vault",
  appFile: "main.ts",
  async start(cdkTfJson, secrets) {
    const backend = await launchDevBackend(["--terraform", cdkTfJson, "--auth-mount", "oidc=oidc"]);
    // The platform team stores the values through Vault's API; Terraform never sees them.
    for (const [name, data] of Object.entries(prodSecrets(secrets))) await writeKvSecret(devVaultAdmin(backend.info), `ml-training/prod/${name}`, data);
    // gpu-prod's operator also syncs wandb, so the pod step (2b) has something to read there.
    await writeKvSecret(devVaultAdmin(backend.info), "ml-training/prod/wandb", { api_key: `kbdemo_${randomBytes(16).toString("hex")}` });
    return backend;
  },
  inputs(backend) {
    const role = (backend.info.outputs?.["ci_roles_ml-training"] as Record<string, { role: string }>)["ci-prod"]!.role;
    return {
      grant: `role ${role}`,
      inputs: {
        url: backend.info.vault.addr,
        role,
        secrets: ["secret/data/ml-training/prod/database password | DB_PASSWORD", "secret/data/ml-training/prod/database username | DB_USER", "secret/data/ml-training/prod/api *"].join("\n"),
      },
    };
  },
};

export const infisicalDemo: DemoBackend = {
  name: "infisical",
  appFile: "infisical.ts",
  async start(cdkTfJson, secrets, work) {
    // Infisical values are seeded as infisical_secret resources (write-only), next to the synthesized ones.
    const document = await readTerraform(cdkTfJson);
    const resources: Record<string, Record<string, unknown>> = {};
    for (const [folder, data] of Object.entries(prodSecrets(secrets))) {
      for (const [key, value] of Object.entries(data)) {
        resources[`seed_${folder}_${key}`] = seededSecret(document, "ml-training", { environment: "prod", folder }, key.toUpperCase(), value, { writeOnly: true });
      }
    }
    const merged = await writeTerraform(join(work, "infisical-seeded.tf.json"), mergeTerraform(document, { resource: { infisical_secret: resources } }));
    return launchDevBackend(["--terraform", merged]);
  },
  inputs(backend) {
    const output = (backend.info.outputs?.["ci_identities_ml-training"] as Record<string, { identity_id: string }>)["ci-prod"]!;
    return {
      grant: `identity ${output.identity_id}`,
      inputs: {
        backend: "infisical",
        url: backend.info.infisical!.addr,
        "identity-id": output.identity_id,
        project: "ml-training",
        environment: "prod",
        secrets: ["/database PASSWORD | DB_PASSWORD", "/database USERNAME | DB_USER", "/api *"].join("\n"),
      },
    };
  },
};
