// The operators' resources `keybridge sync` reproduces, checked field by field against the CRDs'
// shapes (../shared reference §2–3): the Vault Secrets Operator's VaultConnection, VaultAuth,
// VaultStaticSecret and VaultDynamicSecret (secrets.hashicorp.com/v1beta1), and the Infisical
// operator's InfisicalSecret (secrets.infisical.com/v1alpha1). Fields sync does not use are
// left to the CRD validators of the synth side; a field sync uses that is wrong fails here with
// the file, the object and the field.
import * as z from "zod";
import { ManifestError, where } from "./manifest-error.ts";
import type { ManifestObject } from "./read-manifests.ts";
import { isKubernetesName } from "../../policy/kubernetes/names.ts";

const stringMap = z.record(z.string(), z.string());

const secretName = z.string().refine((name) => isKubernetesName(name, "subdomain"), "must be a DNS-1123 subdomain (lowercase letters, digits, - and .)");

export const vaultConnectionSpec = z.object({ address: z.string().min(1) });

export const vaultAuthSpec = z.object({
  method: z.enum(["kubernetes", "jwt", "appRole", "aws", "gcp"]).optional(),
  mount: z.string().optional(),
  vaultConnectionRef: z.string().optional(),
  allowedNamespaces: z.array(z.string()).optional(),
  namespace: z.string().optional(),
  kubernetes: z.object({
    role: z.string().optional(),
    serviceAccount: z.string().optional(),
    audiences: z.array(z.string()).optional(),
    tokenExpirationSeconds: z.number().int().min(600).optional(),
  }).optional(),
});

export const transformationSpec = z.object({
  excludeRaw: z.boolean().optional(),
  excludes: z.array(z.string()).optional(),
  includes: z.array(z.string()).optional(),
  templates: z.record(z.string(), z.unknown()).optional(),
  transformationRefs: z.array(z.unknown()).optional(),
});

const destinationSpec = z.object({
  name: secretName,
  create: z.boolean().optional(),
  transformation: transformationSpec.optional(),
});

export const vaultStaticSecretSpec = z.object({
  type: z.enum(["kv-v1", "kv-v2"]),
  mount: z.string().min(1),
  path: z.string().min(1),
  version: z.number().int().min(0).optional(),
  vaultAuthRef: z.string().optional(),
  destination: destinationSpec,
});

export const vaultDynamicSecretSpec = z.object({
  mount: z.string().min(1),
  path: z.string().min(1),
  params: stringMap.optional(),
  requestHTTPMethod: z.enum(["GET", "POST", "PUT"]).optional(),
  allowStaticCreds: z.boolean().optional(),
  vaultAuthRef: z.string().optional(),
  destination: destinationSpec,
});

const managedSecret = z.object({
  secretName,
  secretNamespace: z.string().refine((name) => isKubernetesName(name, "label"), "must be a DNS-1123 label"),
  template: z.object({ includeAllSecrets: z.boolean().optional(), data: stringMap.optional() }).optional(),
});

export const infisicalSecretSpec = z.object({
  hostAPI: z.string().optional(),
  authentication: z.object({
    kubernetesAuth: z.object({
      identityId: z.string().min(1),
      serviceAccountRef: z.object({ name: z.string().min(1), namespace: z.string().refine((name) => isKubernetesName(name, "label"), "must be a DNS-1123 label") }),
      autoCreateServiceAccountToken: z.boolean().optional(),
      serviceAccountTokenAudiences: z.array(z.string()).optional(),
      secretsScope: z.object({
        projectSlug: z.string().optional(),
        projectId: z.string().optional(),
        envSlug: z.string().min(1),
        secretsPath: z.string().min(1),
        recursive: z.boolean().optional(),
        secretName: z.string().optional(),
      }),
    }).optional(),
  }).catchall(z.unknown()),
  managedKubeSecretReferences: z.array(managedSecret).optional(),
  managedSecretReference: managedSecret.optional(),
});

/** The served version of each kind (one per kind). */
export const servedVersions: Readonly<Record<string, string>> = {
  VaultConnection: "secrets.hashicorp.com/v1beta1",
  VaultAuth: "secrets.hashicorp.com/v1beta1",
  VaultStaticSecret: "secrets.hashicorp.com/v1beta1",
  VaultDynamicSecret: "secrets.hashicorp.com/v1beta1",
  InfisicalSecret: "secrets.infisical.com/v1alpha1",
};

/** An object of a kind sync reads, its spec checked. */
export interface Checked<Spec> {
  readonly object: ManifestObject;
  /** metadata.namespace, required for every kind here (all are namespaced). */
  readonly namespace: string;
  readonly spec: Spec;
}

export function describeObject(object: ManifestObject): string {
  return `${object.kind} ${object.namespace ?? "(no namespace)"}/${object.name}`;
}

/** The spec checked against `schema`; the first problem names its field. */
export function checked<Spec>(object: ManifestObject, schema: z.ZodType<Spec>): Checked<Spec> {
  const at = `${where(object.origin)}: ${describeObject(object)}`;
  const served = servedVersions[object.kind];
  if (served && object.apiVersion !== served) throw new ManifestError(`${at}: apiVersion ${object.apiVersion} is not served; use ${served}`);
  if (!isKubernetesName(object.namespace, "label")) {
    throw new ManifestError(`${at}: metadata.namespace ${object.namespace === undefined ? "is missing" : `"${object.namespace}" is not a DNS-1123 label`}; give the namespace the object lives in`);
  }
  if (!isKubernetesName(object.name, "subdomain")) throw new ManifestError(`${at}: metadata.name "${object.name}" is not a DNS-1123 subdomain; use lowercase letters, digits, - and .`);
  const parsed = schema.safeParse(object.spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = ["spec", ...issue.path.map(String)].join(".");
    throw new ManifestError(`${at}: ${field}: ${issue.message}; fix the field as the operator's CRD defines it`);
  }
  return { object, namespace: object.namespace, spec: parsed.data };
}
