// A database user that Vault rotates (addDatabaseSecret), synced to a cluster: synth writes a
// VaultDynamicSecret with allowStaticCreds at <mount>/static-creds/<role>, valid against the CRD
// model, and the sync's role may read exactly that path. keybridge sync, on keybridge dev loaded
// from the synthesized file, logs in as the service account and writes the rotated user as files.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformStack } from "../../../provider/cdk.ts";
import { Duration, Rotation, SecretsPlatform, VaultBackend } from "../../../provider/index.ts";
import { VaultResource } from "../../../provider/targets/vault-resources.ts";
import { validateManifest } from "../../../testkit/operator-crds.ts";
import { launchDevBackend, type RunningDevBackend } from "../../../testkit/launch-dev-backend.ts";
import { devVaultAdmin, writeKvSecret } from "../../../testkit/admin/vault.ts";
import { runKeybridge } from "../../support/keybridge-run.ts";
import { manifestsOf, resources, testCa } from "./sync-fixture.ts";

const rootPassword = "kb-dbsync-root-pw-5c1d";
const wandbKey = "kb-dbsync-wandb-key-8e2f";

function declare(stack: TerraformStack, mount: (database: VaultResource<Record<string, unknown>>) => string): void {
  const platform = new SecretsPlatform(stack, "secrets", { backend: VaultBackend.kvV2({ mount: "secret" }) });
  const database = new VaultResource<Record<string, unknown>>(stack, "db", "vault_database_secrets_mount", {
    path: "database",
    postgresql: [{ name: "pg", connection_url: "postgresql://{{username}}:{{password}}@pg.internal:5432/ml", username: "vault", password: rootPassword, allowed_roles: ["ml-training-*"] }],
  });
  const ml = platform.addProject("ml-training", { environments: ["dev", { name: "prod", protected: true }] });
  ml.addSecret("wandb", { keys: ["api_key"] });
  const gpuProd = platform.addKubernetesCluster("gpu-prod", { apiHost: "https://10.0.0.1:6443", caCertificate: testCa, backendAddress: "https://vault.acme.internal:8200", protected: true });
  // Synced before it is declared: the manifest and the policy are settled at synth.
  ml.syncToKubernetes({ cluster: gpuProd, namespace: "ml", serviceAccount: "trainer", environment: "prod", paths: ["warehouse", "wandb"], refreshAfter: Duration.minutes(1) });
  ml.syncToKubernetes({ cluster: gpuProd, namespace: "research", serviceAccount: "notebook", environment: "prod", paths: ["wandb"], id: "notebook" });
  ml.addDatabaseSecret("warehouse", { mount: mount(database), connection: "pg", username: (environment) => `ml_${environment}`, rotation: Rotation.byBackend(Duration.days(1)) });
}

/** Synthesizes into a fresh directory; the caller removes it. */
function synth(mount: (database: VaultResource<Record<string, unknown>>) => string): string {
  const outdir = mkdtempSync(join(tmpdir(), "kb-dbsync-"));
  try {
    const app = new App({ outdir, stackTraces: false });
    declare(new TerraformStack(app, "secrets"), mount);
    app.synth();
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
  return outdir;
}

describe("a database secret synced to a cluster", () => {
  let outdir: string;
  let stackDir: string;
  let backend: RunningDevBackend | undefined;

  before(() => {
    outdir = synth((database) => database.ref("path"));
    stackDir = join(outdir, "stacks", "secrets");
  });

  after(async () => {
    await backend?.stop();
    rmSync(outdir, { recursive: true, force: true });
  });

  const documents = () => manifestsOf(readFileSync(join(stackDir, "kubernetes", "gpu-prod.yaml"), "utf8"));
  const terraform = () => JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));

  it("becomes a VaultDynamicSecret with allowStaticCreds at the static role, valid against the CRD model", () => {
    for (const document of documents()) assert.deepEqual(validateManifest(document), [], `${document.kind} ${document.metadata.name}`);
    const dynamic = documents().filter((document) => document.kind === "VaultDynamicSecret");
    assert.deepEqual(dynamic.map((document) => ({ name: document.metadata.name, spec: document.spec })), [{
      name: "warehouse",
      spec: {
        vaultAuthRef: "ml-training-k8s-gpu-prod-ml-trainer-prod-sync",
        mount: "database",
        path: "static-creds/ml-training-prod-warehouse",
        allowStaticCreds: true,
        refreshAfter: "60s",
        destination: { name: "warehouse", create: true },
      },
    }]);
    const roles = resources(terraform(), "vault_database_secret_backend_static_role").map((role) => role.name);
    assert.ok(roles.includes("ml-training-prod-warehouse"), "the path names the static role synth writes");
    assert.deepEqual(documents().filter((document) => document.kind === "VaultStaticSecret" && document.metadata.namespace === "ml").map((document) => document.spec.path), ["ml-training/prod/wandb"]);
  });

  it("lets the sync's role read that static role, and no other grant", () => {
    const policies = new Map(resources(terraform(), "vault_policy").map((entry) => [entry.name as string, entry.policy as string]));
    // Terraform puts the mount's path in for its reference.
    const staticCreds = (name: string) => [...policies.get(name)!.replaceAll("${vault_database_secrets_mount.db.path}", "database").matchAll(/path "([^"]*static-creds[^"]*)" \{\n {2}capabilities = \[([^\]]*)\]/g)].map((match) => `${match[1]} ${match[2]}`);
    assert.deepEqual(staticCreds("keybridge-ml-training-k8s-gpu-prod-ml-trainer-prod-sync"), ['database/static-creds/ml-training-prod-warehouse "read"']);
    assert.deepEqual(staticCreds("keybridge-ml-training-notebook"), [], "a sync of wandb alone does not reach the database user");
  });

  it("is written by keybridge sync from keybridge dev, as the operator would: the rotated user, 0600 files, no value printed", async () => {
    backend = await launchDevBackend(["--terraform", join(stackDir, "cdk.tf.json")]);
    await writeKvSecret(devVaultAdmin(backend.info), "ml-training/prod/wandb", { api_key: wandbKey });
    const volume = join(outdir, "volume");
    const run = await runKeybridge(["sync", "--manifests", join(stackDir, "kubernetes"), "--namespace", "ml", "--to", volume],
      { cwd: outdir, env: { VAULT_ADDR: backend.info.vault.addr, VAULT_TOKEN: backend.info.vault.rootToken } });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^ml\/warehouse: \d+ keys \(.*password.*username.*\) → .*\[VaultDynamicSecret ml\/warehouse\]$/m);
    assert.equal(readFileSync(join(volume, "warehouse", "username"), "utf8"), "ml_prod");
    const password = readFileSync(join(volume, "warehouse", "password"), "utf8");
    assert.match(password, /\S{8,}/);
    for (const value of [password, wandbKey]) assert.ok(!(run.stdout + run.stderr).includes(value), "a value reached the terminal");
    assert.equal(readFileSync(join(volume, "wandb", "api_key"), "utf8"), wandbKey);
    for (const key of readdirSync(join(volume, "warehouse"))) assert.equal(statSync(join(volume, "warehouse", key)).mode & 0o777, 0o600, key);
  });

  it("fails synth with one line when the database mount is known only at apply", () => {
    assert.throws(() => synth((database) => database.ref("accessor")), (error: Error & { code?: string }) => {
      assert.equal(error.code, "KB_SYNTH_INVALID");
      assert.match(error.message, /^cluster gpu-prod: database secret "warehouse" of ml-training is synced, but its mount \(\$\{vault_database_secrets_mount\.db\.accessor\}\) is known only at apply .*give addDatabaseSecret the mount's path/);
      assert.ok(!error.message.includes(rootPassword));
      return true;
    });
  });
});
