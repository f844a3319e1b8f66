// project.syncToKubernetes(): the backend login it writes (Vault's per-cluster Kubernetes auth,
// or an Infisical identity with Kubernetes auth), the operators' manifests checked against the
// CRD models, and the two agreeing on service account, namespace, role and audience.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { validateManifest } from "../../../testkit/operator-crds.ts";
import { SecretsPlatform } from "../../../provider/index.ts";
import { backends, identityReference, manifestsOf, resources, synthSyncs, testCa } from "./sync-fixture.ts";

describe("syncToKubernetes on Vault", () => {
  const { terraform, policy, files } = synthSyncs(backends.vault());
  const manifests = new Map([...files].map(([name, text]) => [name, manifestsOf(text)]));

  it("writes one manifest file per cluster, every document valid against the operator's CRD model", () => {
    assert.deepEqual([...files.keys()], ["gpu-dev.yaml", "gpu-prod.yaml"]);
    for (const [name, documents] of manifests) {
      for (const document of documents) assert.deepEqual(validateManifest(document), [], `${name}: ${document.kind} ${document.metadata?.name}`);
    }
  });

  it("gives each cluster its own kubernetes auth mount with that cluster's API host and CA", () => {
    const mounts = resources(terraform, "vault_auth_backend").filter((mount) => mount.type === "kubernetes");
    assert.deepEqual(mounts.map((mount) => mount.path).sort(), ["kubernetes-gpu-dev", "kubernetes-gpu-prod"]);
    const configs = resources(terraform, "vault_kubernetes_auth_backend_config");
    assert.deepEqual(configs.map((config) => config.kubernetes_host).sort(), ["https://10.0.0.1:6443", "https://10.0.1.1:6443"]);
    for (const config of configs) {
      assert.match(config.backend, /^\$\{vault_auth_backend\..*\.path\}$/);
      assert.equal(config.disable_local_ca_jwt, true, "Vault outside the cluster must not read a pod's CA");
      assert.match(config.kubernetes_ca_cert, /BEGIN CERTIFICATE/);
    }
  });

  it("binds each Vault role to exactly the service account and namespace its VaultAuth logs in as", () => {
    const roles = resources(terraform, "vault_kubernetes_auth_backend_role");
    const mountPaths = new Map(Object.entries(terraform.resource.vault_auth_backend).map(([name, mount]: [string, any]) => [`\${vault_auth_backend.${name}.path}`, mount.path]));
    const auths = [...manifests.values()].flat().filter((document) => document.kind === "VaultAuth");
    assert.equal(auths.length, 3);
    assert.equal(roles.length, 3);
    for (const auth of auths) {
      const role = roles.find((candidate) => candidate.role_name === auth.spec.kubernetes.role);
      assert.ok(role, `VaultAuth ${auth.metadata.name} names role ${auth.spec.kubernetes.role}, which synth does not write`);
      assert.equal(mountPaths.get(role.backend), auth.spec.mount, "the role lives on the mount the VaultAuth logs in at");
      assert.deepEqual(role.bound_service_account_names, [auth.spec.kubernetes.serviceAccount]);
      assert.deepEqual(role.bound_service_account_namespaces, [auth.metadata.namespace], "the operator requests the token in the secret resource's namespace");
      assert.deepEqual(auth.spec.kubernetes.audiences, [role.audience]);
    }
  });

  it("grants each role read on the synced paths alone, and every VaultStaticSecret of its VaultAuth is readable", () => {
    const documents = [...manifests.values()].flat();
    const policies = new Map(resources(terraform, "vault_policy").map((entry) => [entry.name as string, entry.policy as string]));
    const grants = new Map(policy.projects[0].grants.map((grant: any) => [`ml-training-${grant.id}`, grant]));
    for (const auth of documents.filter((document) => document.kind === "VaultAuth")) {
      const policyText = policies.get(`keybridge-${auth.spec.kubernetes.role}`)!;
      const granted = [...policyText.matchAll(/path "[^"]*\/data\/([^"]+)" \{\n {2}capabilities = \["read"\]/g)].map((match) => match[1]!);
      const grant = grants.get(auth.spec.kubernetes.role) as any;
      assert.deepEqual(granted.sort(), grant.paths.map((path: string) => `ml-training/${grant.environment}/${path}`).sort(), "read on exactly the paths the sync declared");
      const synced = documents.filter((document) => document.kind === "VaultStaticSecret" && document.spec.vaultAuthRef === auth.metadata.name);
      assert.ok(synced.length > 0);
      for (const secret of synced) {
        assert.ok(granted.some((pattern) => (pattern.endsWith("*") ? secret.spec.path.startsWith(pattern.slice(0, -1)) : pattern === secret.spec.path)), `${secret.spec.path} is readable`);
      }
      assert.doesNotMatch(policyText, /"(create|update|delete|list)"/, "a sync reads; it never writes or lists");
    }
  });

  it("writes a VaultStaticSecret per synced secret: kv-v2 path without data/, refresh, destination and restart targets", () => {
    const prod = manifests.get("gpu-prod.yaml")!.filter((document) => document.kind === "VaultStaticSecret");
    assert.deepEqual(prod.map((document) => [document.metadata.name, document.spec.path]), [["api-stripe", "ml-training/prod/api/stripe"], ["database", "ml-training/prod/database"]]);
    const database = prod.find((document) => document.metadata.name === "database")!;
    assert.deepEqual(database.spec, {
      vaultAuthRef: "ml-training-k8s-gpu-prod-ml-trainer-prod-sync",
      type: "kv-v2",
      mount: "secret",
      path: "ml-training/prod/database",
      refreshAfter: "60s",
      destination: { name: "database", create: true },
      rolloutRestartTargets: [{ kind: "Deployment", name: "trainer" }],
    });
    const dev = manifests.get("gpu-dev.yaml")!;
    assert.deepEqual(dev.filter((document) => document.kind === "VaultStaticSecret").map((document) => document.spec.destination.name), ["training-db", "wandb"]);
    assert.equal(dev.filter((document) => document.kind === "VaultConnection").length, 1, "one VaultConnection per namespace, shared by its VaultAuths");
  });

  it("orders documents connection, logins, secrets, and writes the same bytes on every synth", () => {
    const kinds = manifests.get("gpu-dev.yaml")!.map((document) => document.kind);
    assert.deepEqual(kinds, ["VaultConnection", "VaultAuth", "VaultAuth", "VaultStaticSecret", "VaultStaticSecret"]);
    assert.deepEqual([...synthSyncs(backends.vault()).files], [...files]);
  });

  it("puts the service account in keybridge.policy.json as a kubernetes principal of a read grant", () => {
    const grant = policy.projects[0].grants.find((entry: any) => entry.id === "k8s-gpu-prod-ml-trainer-prod-sync");
    assert.deepEqual(grant.principal, { kind: "kubernetes", cluster: "gpu-prod", namespace: "ml", serviceAccount: "trainer" });
    assert.deepEqual(grant.capabilities, ["read"]);
    assert.deepEqual(grant.paths, ["api/*", "database"]);
  });
});

describe("syncToKubernetes on Infisical", () => {
  const { terraform, files } = synthSyncs(backends.infisical());
  const written = resources(terraform, "local_file");

  it("leaves the manifests to Terraform, which knows the identity's ID at apply, one file per cluster", () => {
    assert.equal(files.size, 0, "synth cannot write an InfisicalSecret: its identityId is made at apply");
    assert.deepEqual(written.map((file) => file.filename).sort(), ["${path.module}/kubernetes/gpu-dev.yaml", "${path.module}/kubernetes/gpu-prod.yaml"]);
    assert.deepEqual(terraform.terraform.required_providers.local, { source: "hashicorp/local", version: "~> 2.5" });
  });

  it("writes InfisicalSecrets that are valid once Terraform puts the identity's ID in", () => {
    for (const file of written) {
      const documents = manifestsOf(file.content.replace(identityReference, "7f0c2d1e-4b5a-4c3d-9e8f-0a1b2c3d4e5f"));
      assert.ok(documents.length > 0);
      for (const document of documents) {
        assert.deepEqual(validateManifest(document), [], `${file.filename}: ${document.metadata?.name}`);
        const scope = document.spec.authentication.kubernetesAuth.secretsScope;
        assert.equal([scope.projectSlug, scope.projectId].filter(Boolean).length, 1, "exactly one of projectSlug and projectId");
      }
    }
  });

  it("logs each InfisicalSecret in as an identity whose Kubernetes auth admits exactly its service account", () => {
    const auths = terraform.resource.infisical_identity_kubernetes_auth as Record<string, any>;
    for (const file of written) {
      for (const match of file.content.matchAll(/identityId: (\$\{[^}]+\})[\s\S]*?serviceAccountTokenAudiences:\n\s+- (\S+)\n\s+serviceAccountRef:\n\s+name: (\S+)\n\s+namespace: (\S+)/g)) {
        const [, reference, audience, name, namespace] = match;
        const auth = Object.values(auths).find((candidate) => candidate.identity_id === reference);
        assert.ok(auth, `no Kubernetes auth for ${reference}`);
        assert.deepEqual(auth.allowed_service_account_names, [name]);
        assert.deepEqual(auth.allowed_namespaces, [namespace]);
        assert.equal(auth.allowed_audience, audience);
      }
    }
    assert.deepEqual(Object.values(auths).map((auth) => auth.kubernetes_host).sort(), ["https://10.0.0.1:6443", "https://10.0.1.1:6443", "https://10.0.1.1:6443"]);
  });

  it("escapes template syntax of its own text, so Terraform resolves only the identity reference", () => {
    const escaped = synthSyncs(backends.infisical(), (scope, backend) => {
      const platform = new SecretsPlatform(scope, "secrets", { backend });
      const ml = platform.addProject("ml", { environments: ["dev"] });
      ml.addSecret("database");
      const cluster = platform.addKubernetesCluster("gpu", { apiHost: "10.0.0.1:6443", caCertificate: testCa, backendAddress: "https://secrets.acme.internal/a${b}%{c}" });
      ml.syncToKubernetes({ cluster, namespace: "ml", serviceAccount: "trainer", environment: "dev" });
      return platform;
    });
    const [file] = resources(escaped.terraform, "local_file");
    assert.match(file!.content, /hostAPI: https:\/\/secrets\.acme\.internal\/a\$\$\{b\}%%\{c\}\/api/);
    assert.match(file!.content, /identityId: \$\{infisical_identity\.[^}]+\.id\}/);
  });

  it("makes each synced identity a project member with a role limited to the synced folders", () => {
    const memberships = resources(terraform, "infisical_project_identity");
    const roles = resources(terraform, "infisical_project_role").filter((role) => String(role.slug).includes("k8s-"));
    assert.equal(roles.length, 3);
    const prod = roles.find((role) => role.slug === "keybridge-ml-training-k8s-gpu-prod-ml-trainer-prod-sync")!;
    assert.deepEqual(prod.permissions_v2.map((permission: any) => [permission.subject, permission.action, JSON.parse(permission.conditions)]), [
      ["secrets", ["describeSecret", "readValue"], { environment: { $eq: "prod" }, secretPath: { $eq: "/database" } }],
      ["secret-folders", ["read"], { environment: { $eq: "prod" }, secretPath: { $eq: "/database" } }],
      ["secrets", ["describeSecret", "readValue"], { environment: { $eq: "prod" }, secretPath: { $glob: "/api/**" } }],
      ["secret-folders", ["read"], { environment: { $eq: "prod" }, secretPath: { $glob: "/api/**" } }],
    ]);
    assert.ok(memberships.length >= 3);
  });
});
