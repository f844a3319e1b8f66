// The Vault Secrets Operator's part: for each VaultStaticSecret / VaultDynamicSecret, its VaultAuth
// (vaultAuthRef, with allowedNamespaces) and VaultConnection, a token of the VaultAuth's service
// account in the secret's namespace (TokenRequest with its audiences and lifetime), the login
// with the VaultAuth's role at its mount, and the read. So a role that does not admit that
// service account fails here as it would in the cluster.
import * as z from "zod";
import { createBackend } from "../../client/backends/create-backend.ts";
import type { VaultBackend } from "../../client/backends/vault.ts";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import { ManifestError, where } from "./manifest-error.ts";
import { checked, describeObject, vaultAuthSpec, vaultConnectionSpec, vaultDynamicSecretSpec, vaultStaticSecretSpec, type Checked } from "./operator-resources.ts";
import type { ManifestObject } from "./read-manifests.ts";
import { checkKey, vsoSecretData, type SyncedSecret } from "./secret-data.ts";
import { serviceAccountToken, type DevTarget, type Logins } from "./dev-session.ts";

type VaultAuth = Checked<z.infer<typeof vaultAuthSpec>>;
type SecretSpec = z.infer<typeof vaultStaticSecretSpec> | z.infer<typeof vaultDynamicSecretSpec>;

export const vaultSecretKinds = ["VaultStaticSecret", "VaultDynamicSecret"];

/** Objects of one kind by "namespace/name". */
function byName<Spec>(objects: readonly ManifestObject[], kind: string, schema: z.ZodType<Spec>): Map<string, Checked<Spec>> {
  return new Map(objects.filter((object) => object.kind === kind).map((object) => {
    const entry = checked(object, schema);
    return [`${entry.namespace}/${object.name}`, entry];
  }));
}

/** `name` (the referring object's namespace) or `namespace/name`; empty is the operator's `default`. */
function lookup<T extends { object: ManifestObject }>(objects: Map<string, T>, ref: string | undefined, namespace: string, kind: string, at: string, field: string): T {
  if (!ref) {
    const defaults = [...objects.values()].filter((entry) => entry.object.name === "default");
    if (defaults.length === 1) return defaults[0]!;
    throw new ManifestError(`${at}: ${field} is empty, so the operator uses the ${kind} "default" of its own namespace, which the manifests ${defaults.length === 0 ? "do not hold" : "hold more than once"}; name the ${kind} in ${field}`);
  }
  const key = ref.includes("/") ? ref : `${namespace}/${ref}`;
  const found = objects.get(key);
  if (!found) throw new ManifestError(`${at}: ${field}: the ${kind} ${key} is not in the manifests; add it or correct the reference`);
  return found;
}

function kubernetesLogin(auth: VaultAuth, namespace: string, at: string) {
  const authAt = `${where(auth.object.origin)}: ${describeObject(auth.object)}`;
  const allowed = auth.spec.allowedNamespaces;
  if (auth.namespace !== namespace && !(allowed ?? []).some((entry) => entry === "*" || entry === namespace)) {
    throw new ManifestError(`${at}: spec.vaultAuthRef: ${describeObject(auth.object)} is in another namespace and its spec.allowedNamespaces does not list ${namespace}; list it there or use a VaultAuth of ${namespace}`);
  }
  if (auth.spec.method !== "kubernetes") throw new ManifestError(`${authAt}: spec.method is ${auth.spec.method ?? "not set"}; keybridge sync logs in as a pod does, with method: kubernetes`);
  if (!auth.spec.mount) throw new ManifestError(`${authAt}: spec.mount is not set; the operator has no default mount ("mount is not set"): give the Kubernetes auth mount`);
  const kubernetes = auth.spec.kubernetes;
  if (!kubernetes?.role) throw new ManifestError(`${authAt}: spec.kubernetes.role is empty; give the Vault role to log in with`);
  if (!kubernetes.serviceAccount) throw new ManifestError(`${authAt}: spec.kubernetes.serviceAccount is empty; give the service account whose token is sent`);
  return { mount: auth.spec.mount, role: kubernetes.role, serviceAccount: kubernetes.serviceAccount, audiences: kubernetes.audiences ?? [], expirationSeconds: kubernetes.tokenExpirationSeconds ?? 600 };
}

/** The cluster a Kubernetes auth mount reviews tokens at: its config's kubernetes_host. */
async function clusterOfMount(target: DevTarget, mount: string): Promise<string> {
  if (target.cluster) return target.cluster;
  const response = await target.http.request({
    method: "GET", url: new URL(`v1/auth/${mount.split("/").map(encodeURIComponent).join("/")}/config`, target.addr),
    headers: { "X-Vault-Token": target.rootToken }, purpose: `reading auth/${mount}/config`,
  });
  const host = z.object({ data: z.object({ kubernetes_host: z.string() }) }).safeParse(response.json);
  if (response.status !== 200 || !host.success) {
    throw new KeybridgeError("KB_LOGIN_REFUSED", `auth/${mount}/config cannot be read from keybridge dev (HTTP ${response.status}): enable a Kubernetes auth mount at ${mount} with its config (kubernetes_host), or name the cluster with --cluster`);
  }
  return host.data.data.kubernetes_host;
}

async function vaultSession(target: DevTarget, logins: Logins, auth: VaultAuth, namespace: string, at: string) {
  const login = kubernetesLogin(auth, namespace, at);
  return logins.once(`vault:${auth.namespace}/${auth.object.name}@${namespace}`, async () => {
    const cluster = await clusterOfMount(target, login.mount);
    const jwt = await serviceAccountToken(target, cluster, { namespace, name: login.serviceAccount }, login.audiences, login.expirationSeconds);
    const backend = createBackend(target.http, { backend: "vault", url: target.addr, authPath: login.mount, role: login.role }) as VaultBackend;
    const session = await backend.login({
      what: "Kubernetes", mount: login.mount, body: { role: login.role, jwt },
      advice: `the role "${login.role}" at auth/${login.mount} must bind service account ${login.serviceAccount} in namespace ${namespace} (${describeObject(auth.object)})${login.audiences.length > 0 ? `, with an audience among ${login.audiences.join(", ")}` : ""}, and the token (minted in cluster ${cluster}) must come from the cluster the mount's kubernetes_host names`,
    });
    return { backend, session };
  });
}

function readPath(object: ManifestObject, spec: SecretSpec, at: string): string {
  if (object.kind === "VaultDynamicSecret") {
    const dynamic = spec as z.infer<typeof vaultDynamicSecretSpec>;
    if (dynamic.params && Object.keys(dynamic.params).length > 0) throw new ManifestError(`${at}: spec.params: keybridge sync reads dynamic secrets with GET only; try it without params`);
    // Without the flag the operator takes a rotated user's credentials for a lease it must renew.
    if (/^static-creds\//.test(dynamic.path) && dynamic.allowStaticCreds !== true) {
      throw new ManifestError(`${at}: spec.allowStaticCreds: path ${dynamic.path} is a database static role, which the operator syncs only with allowStaticCreds: true; add it`);
    }
    return `${dynamic.mount}/${dynamic.path}`;
  }
  const kv = spec as z.infer<typeof vaultStaticSecretSpec>;
  if (kv.type === "kv-v1") return `${kv.mount}/${kv.path}`;
  return `${kv.mount}/data/${kv.path}${kv.version ? `?version=${kv.version}` : ""}`;
}

/** The Secrets the Vault Secrets Operator would write into `namespace`. */
export async function syncVaultSecrets(objects: readonly ManifestObject[], namespace: string, target: DevTarget, logins: Logins): Promise<SyncedSecret[]> {
  const auths = byName(objects, "VaultAuth", vaultAuthSpec);
  const connections = byName(objects, "VaultConnection", vaultConnectionSpec);
  const wanted = objects.filter((object) => vaultSecretKinds.includes(object.kind) && object.namespace === namespace);
  return Promise.all(wanted.map(async (object) => {
    const entry = checked<SecretSpec>(object, object.kind === "VaultStaticSecret" ? vaultStaticSecretSpec : vaultDynamicSecretSpec);
    const at = `${where(object.origin)}: ${describeObject(object)}`;
    const auth = lookup(auths, entry.spec.vaultAuthRef, namespace, "VaultAuth", at, "spec.vaultAuthRef");
    // An empty vaultConnectionRef is the operator's default (often the Helm chart's): not in the manifests.
    if (auth.spec.vaultConnectionRef) lookup(connections, auth.spec.vaultConnectionRef, auth.namespace, "VaultConnection", `${where(auth.object.origin)}: ${describeObject(auth.object)}`, "spec.vaultConnectionRef");
    const path = readPath(object, entry.spec, at);
    const { backend, session } = await vaultSession(target, logins, auth, namespace, at);
    const read = await backend.read(session, path);
    const data = vsoSecretData(read.data, entry.spec.destination.transformation, at);
    for (const key of data.keys()) checkKey(key, at);
    return { secretName: entry.spec.destination.name, namespace, source: describeObject(object), data };
  }));
}
