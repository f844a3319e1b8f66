// Kubernetes on a laptop, with every piece a real process: `keybridge dev` loaded from Terraform
// (two clusters' Vault Kubernetes auth mounts, an Infisical identity with Kubernetes auth),
// `keybridge dev token` minting a service-account token, `keybridge run --auth kubernetes` and the
// Action bundle logging in with it, and `keybridge sync` writing the operators' Secrets as a 0600
// secret volume. Refusals: a token of the other cluster, a namespace or service account the role
// does not bind, a manifest with a bad field.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeJwt } from "jose";
import { launchDevBackend, type RunningDevBackend } from "../../testkit/launch-dev-backend.ts";
import { runKeybridge, type Run } from "../support/keybridge-run.ts";
import { LocalJob } from "../../testkit/runner-emulator/job.ts";
import { assertNeverPrinted } from "../support/secret-assertions.ts";

const fixture = fileURLToPath(new URL("./fixtures/kubernetes/", import.meta.url));
const mainScript = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
const postScript = fileURLToPath(new URL("../../dist/post.js", import.meta.url));
const prodCluster = "gpu-prod.k8s.internal:6443";
const devCluster = "gpu-dev.k8s.internal:6443";
const values = ["kb-sync-db-pass-6f1e", "kb-sync-infisical-pass-2d7a"];

let backend: RunningDevBackend;
let work: string;
const jobs: LocalJob[] = [];

function keybridge(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return runKeybridge(args, { cwd: work, env: { VAULT_ADDR: backend.info.vault.addr, VAULT_TOKEN: backend.info.vault.rootToken, ...env } });
}

function assertNoValue(run: Run): void {
  for (const value of values) assert.ok(!(run.stdout + run.stderr).includes(value), "a secret value reached the terminal");
}

/** A token file from `keybridge dev token`. */
async function mintedToken(account: string, extra: readonly string[]): Promise<string> {
  const file = join(work, `token-${account.replace("/", "-")}-${extra.join("-").replace(/[^a-z0-9-]/gi, "")}`);
  const run = await keybridge(["dev", "token", "--kubernetes", account, ...extra, "--out", file]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, "", "--out keeps the token off stdout");
  assert.equal(statSync(file).mode & 0o777, 0o600);
  return file;
}

const identityId = (): string => String(backend.info.outputs?.trainer_identity_id);

function infisicalManifest(serviceAccount: string): string {
  return `apiVersion: secrets.infisical.com/v1alpha1
kind: InfisicalSecret
metadata:
  name: database
  namespace: ml-training
spec:
  hostAPI: https://secrets.acme.internal/api
  authentication:
    kubernetesAuth:
      identityId: ${identityId()}
      autoCreateServiceAccountToken: true
      serviceAccountTokenAudiences: ["infisical"]
      serviceAccountRef: { name: ${serviceAccount}, namespace: ml-training }
      secretsScope: { projectSlug: ml-training, envSlug: prod, secretsPath: /database }
  managedKubeSecretReferences:
    - secretName: infisical-db
      secretNamespace: ml-training
      creationPolicy: Owner
`;
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), "kb-sync-"));
  backend = await launchDevBackend(["--terraform", fixture]);
});

after(async () => {
  await Promise.all(jobs.map((job) => job.dispose()));
  await backend?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe("keybridge dev token", () => {
  it("mints a token with a cluster's real claim shape", async () => {
    const run = await keybridge(["dev", "token", "--kubernetes", "ml-training/trainer", "--cluster", `https://${prodCluster}`, "--audience", "vault", "--duration", "10m"]);
    assert.equal(run.code, 0, run.stderr);
    const claims = decodeJwt(run.stdout.trim());
    assert.equal(claims.iss, `https://${prodCluster}`);
    assert.equal(claims.sub, "system:serviceaccount:ml-training:trainer");
    assert.deepEqual(claims.aud, ["vault"]);
    assert.equal(Number(claims.exp) - Number(claims.iat), 600);
    assert.equal(claims.nbf, claims.iat);
    const kubernetes = claims["kubernetes.io"] as { namespace: string; serviceaccount: { name: string; uid: string } };
    assert.equal(kubernetes.namespace, "ml-training");
    assert.equal(kubernetes.serviceaccount.name, "trainer");
    assert.match(kubernetes.serviceaccount.uid, /^[0-9a-f-]{36}$/);
  });

  it("fails with one line when several clusters are configured and none is named, or the duration is under 10m", async () => {
    const unnamed = await keybridge(["dev", "token", "--kubernetes", "ml-training/trainer"]);
    assert.equal(unnamed.code, 1);
    assert.match(unnamed.stderr, /^keybridge dev: KB_INPUT_INVALID: .*several clusters are configured \(gpu-dev\.k8s\.internal:6443, gpu-prod\.k8s\.internal:6443\)/);
    const short = await keybridge(["dev", "token", "--kubernetes", "ml-training/trainer", "--cluster", prodCluster, "--duration", "60s"]);
    assert.equal(short.code, 1);
    assert.match(short.stderr, /less than 10 minutes/);
    const bad = await keybridge(["dev", "token", "--kubernetes", "trainer"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /KB_USAGE: --kubernetes "trainer" is not NAMESPACE\/NAME/);
  });
});

describe("keybridge run --auth kubernetes with a minted token", () => {
  const readDb = ["--secrets", "secret/data/ml-training/prod/database password | DB_PASSWORD", "--", "sh", "-c", 'test "$DB_PASSWORD" = "$EXPECTED" && echo matched'];

  it("logs in to Vault's Kubernetes auth of the token's cluster", async () => {
    const token = await mintedToken("ml-training/trainer", ["--cluster", prodCluster, "--audience", "vault"]);
    const run = await keybridge(["run", "--auth", "kubernetes", "--path", "k8s-gpu-prod", "--role", "ml-training-prod", "--token-path", token, ...readDb], { EXPECTED: values[0]!, VAULT_TOKEN: "" });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /matched/);
    assertNoValue(run);
  });

  it("fails when the token is another cluster's, another namespace's or another service account's", async () => {
    const cases: Array<[string, string[], RegExp]> = [
      ["ml-training/trainer", ["--cluster", devCluster, "--audience", "vault"], /permission denied/],
      ["research/trainer", ["--cluster", prodCluster, "--audience", "vault"], /namespace not authorized/],
      ["ml-training/notebook", ["--cluster", prodCluster, "--audience", "vault"], /service account name not authorized/],
      ["ml-training/trainer", ["--cluster", prodCluster], /permission denied/],
    ];
    for (const [account, extra, message] of cases) {
      const token = await mintedToken(account, extra);
      const run = await keybridge(["run", "--auth", "kubernetes", "--path", "k8s-gpu-prod", "--role", "ml-training-prod", "--token-path", token, ...readDb], { EXPECTED: values[0]!, VAULT_TOKEN: "" });
      assert.equal(run.code, 1, `${account} ${extra.join(" ")}`);
      assert.match(run.stderr, /KB_LOGIN_REFUSED/);
      assert.match(run.stderr, message, `${account} ${extra.join(" ")}`);
      assertNoValue(run);
    }
  });

  it("logs in to Infisical's Kubernetes auth with --identity-id", async () => {
    const token = await mintedToken("ml-training/trainer", ["--cluster", prodCluster, "--audience", "infisical"]);
    const args = ["run", "--backend", "infisical", "--url", backend.info.infisical.addr, "--auth", "kubernetes", "--identity-id", identityId(), "--token-path", token,
      "--project", "ml-training", "--environment", "prod", "--secrets", "database DB_PASSWORD", "--", "sh", "-c", 'test "$DB_PASSWORD" = "$EXPECTED" && echo matched'];
    const run = await keybridge(args, { EXPECTED: values[1]! });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /matched/);
    const otherAccount = await mintedToken("ml-training/notebook", ["--cluster", prodCluster, "--audience", "infisical"]);
    const refused = await keybridge(args.map((arg) => (arg === token ? otherAccount : arg)), { EXPECTED: values[1]! });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /KB_LOGIN_REFUSED: .*HTTP 401.*K8s name not allowed/);
  });

  it("the Action bundle logs in with method kubernetes and kubernetesTokenPath", async () => {
    const token = await mintedToken("ml-training/trainer", ["--cluster", prodCluster, "--audience", "vault"]);
    const job = await LocalJob.create();
    jobs.push(job);
    const inputs = { url: backend.info.vault.addr, method: "kubernetes", path: "k8s-gpu-prod", role: "ml-training-prod", kubernetesTokenPath: token, secrets: "secret/data/ml-training/prod/database password | DB_PASSWORD" };
    const main = await job.runStep(mainScript, { inputs });
    assert.equal(main.exitCode, 0, `${main.stdout}\n${main.stderr}`);
    assert.equal(job.env.get("DB_PASSWORD"), values[0]);
    assertNeverPrinted(main, values);
    const post = await job.runStep(postScript, { inputs, state: main.state });
    assert.equal(post.exitCode, 0);
  });
});

describe("the Action bundle on Infisical with method kubernetes", () => {
  async function runAction(tokenFile: string) {
    const job = await LocalJob.create();
    jobs.push(job);
    const inputs = {
      backend: "infisical", url: backend.info.infisical.addr, method: "kubernetes", "identity-id": identityId(), kubernetesTokenPath: tokenFile,
      project: "ml-training", environment: "prod", secrets: "/database DB_PASSWORD",
    };
    return { job, inputs, main: await job.runStep(mainScript, { inputs }) };
  }

  it("logs in as the identity whose Kubernetes auth admits the service account, and reads", async () => {
    const { job, inputs, main } = await runAction(await mintedToken("ml-training/trainer", ["--cluster", prodCluster, "--audience", "infisical"]));
    assert.equal(main.exitCode, 0, `${main.stdout}\n${main.stderr}`);
    assert.equal(job.env.get("DB_PASSWORD"), values[1]);
    assertNeverPrinted(main, values);
    const post = await job.runStep(postScript, { inputs, state: main.state });
    assert.equal(post.exitCode, 0);
  });

  it("fails with one line when the token is another service account's, exporting nothing", async () => {
    const { main } = await runAction(await mintedToken("ml-training/notebook", ["--cluster", prodCluster, "--audience", "infisical"]));
    assert.equal(main.exitCode, 1);
    assert.match(main.stdout + main.stderr, /KB_LOGIN_REFUSED: Infisical refused the Kubernetes login .*K8s name not allowed/);
    assert.equal(main.exportedEnv.size, 0);
    assertNeverPrinted(main, values);
  });
});

describe("keybridge sync", () => {
  const manifests = join(fixture, "manifests");

  it("writes what the operators would create in the namespace, as a 0600 secret volume, printing names only", async () => {
    const out = join(work, "volume");
    const infisical = join(work, "infisical.yaml");
    writeFileSync(infisical, infisicalManifest("trainer"));
    const vault = await keybridge(["sync", "--manifests", manifests, "--namespace", "ml-training", "--to", out]);
    assert.equal(vault.code, 0, vault.stderr);
    assert.match(vault.stdout, /^ml-training\/training-db: 3 keys \(host, password, username\) → .*training-db\/ {2}\[VaultStaticSecret ml-training\/database\]$/m);
    assert.match(vault.stdout, /^ml-training\/warehouse-creds: 3 keys \(_raw, password, username\) → /m);
    const withInfisical = await keybridge(["sync", "--manifests", infisical, "--namespace", "ml-training", "--to", out, "--cluster", prodCluster]);
    assert.equal(withInfisical.code, 0, withInfisical.stderr);
    assert.match(withInfisical.stdout, /^ml-training\/infisical-db: 2 keys \(DB_PASSWORD, DB_USER\) → .*\[InfisicalSecret ml-training\/database\]$/m);
    assertNoValue(vault);
    assertNoValue(withInfisical);

    assert.deepEqual(readdirSync(out).sort(), ["infisical-db", "training-db", "warehouse-creds"]);
    assert.equal(statSync(out).mode & 0o777, 0o700);
    for (const secret of readdirSync(out)) {
      assert.equal(statSync(join(out, secret)).mode & 0o777, 0o700, secret);
      for (const key of readdirSync(join(out, secret))) assert.equal(statSync(join(out, secret, key)).mode & 0o777, 0o600, `${secret}/${key}`);
    }
    assert.equal(readFileSync(join(out, "training-db", "password"), "utf8"), values[0]);
    assert.equal(readFileSync(join(out, "training-db", "host"), "utf8"), "pg.ml.internal");
    assert.equal(readFileSync(join(out, "infisical-db", "DB_PASSWORD"), "utf8"), values[1]);
    assert.match(readFileSync(join(out, "warehouse-creds", "username"), "utf8"), /\S/);
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(join(out, "warehouse-creds", "_raw"), "utf8"))).sort(), ["password", "username"]);
  });

  it("fails like the cluster when the role does not admit the VaultAuth's service account, and writes nothing", async () => {
    const out = join(work, "refused");
    const original = readFileSync(join(manifests, "gpu-prod.yaml"), "utf8");
    const cases: Array<[string, string, RegExp]> = [
      ["wrong-sa.yaml", original.replace("serviceAccount: trainer", "serviceAccount: notebook"), /service account name not authorized/],
      ["wrong-namespace.yaml", original.replace("vaultAuthRef: ml-training/ml-training-prod", "vaultAuthRef: ml-training-prod").replaceAll("namespace: ml-training", "namespace: research"), /namespace not authorized/],
    ];
    for (const [name, text, message] of cases) {
      const directory = join(work, name.replace(".yaml", ""));
      mkdirSync(directory);
      writeFileSync(join(directory, name), text);
      const namespace = name === "wrong-namespace.yaml" ? "research" : "ml-training";
      const run = await keybridge(["sync", "--manifests", directory, "--namespace", namespace, "--to", out]);
      assert.equal(run.code, 1, name);
      assert.match(run.stderr, /^keybridge sync: KB_LOGIN_REFUSED: Vault refused the Kubernetes login at auth\/k8s-gpu-prod \(HTTP 403\)/);
      assert.match(run.stderr, message, name);
      assert.equal(run.stderr.trim().split("\n").length, 1);
      assert.equal(existsSync(out), false, "nothing is written after a refusal");
    }
    writeFileSync(join(work, "infisical-wrong.yaml"), infisicalManifest("notebook"));
    const infisical = await keybridge(["sync", "--manifests", join(work, "infisical-wrong.yaml"), "--namespace", "ml-training", "--to", out, "--cluster", prodCluster]);
    assert.equal(infisical.code, 1);
    assert.match(infisical.stderr, /KB_LOGIN_REFUSED: Infisical refused the Kubernetes login .*K8s name not allowed/);
  });

  it("fails with one line naming the file, the object and the field of a bad manifest", async () => {
    const original = readFileSync(join(manifests, "gpu-prod.yaml"), "utf8");
    const cases: Array<[string, RegExp]> = [
      [original.replace("type: kv-v2", "type: kv-v3"), /bad\.yaml \(document 4\): VaultStaticSecret ml-training\/database: spec\.type: /],
      [original.replace("vaultAuthRef: ml-training-prod\n", "vaultAuthRef: missing\n"), /VaultStaticSecret ml-training\/database: spec\.vaultAuthRef: the VaultAuth ml-training\/missing is not in the manifests/],
      [original.replace("excludeRaw: true", "templates:\n        url: { text: 'postgres://{{ .Secrets.host }}' }"), /spec\.destination\.transformation\.templates: Go templates are not reproduced/],
      [original.replace("method: kubernetes", "method: appRole"), /VaultAuth ml-training\/ml-training-prod: spec\.method is appRole/],
      [original.replace("path: creds/ml-training-readonly", "path: static-creds/ml-training-readonly"), /VaultDynamicSecret ml-training\/warehouse-creds: spec\.allowStaticCreds: path static-creds\/ml-training-readonly is a database static role, which the operator syncs only with allowStaticCreds: true/],
      [`${original}\n---\nkind: [unclosed\n`, /bad\.yaml \(document 6\): not YAML/],
    ];
    for (const [text, message] of cases) {
      writeFileSync(join(work, "bad.yaml"), text);
      const run = await keybridge(["sync", "--manifests", join(work, "bad.yaml"), "--namespace", "ml-training", "--to", join(work, "never")]);
      assert.equal(run.code, 1, String(message));
      assert.match(run.stderr, /^keybridge sync: KB_MANIFEST_INVALID: /);
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
      assert.equal(existsSync(join(work, "never")), false);
    }
  });
});
