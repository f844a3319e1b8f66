// A small typed model of the operators' custom resources that Keybridge writes, taken from
// ../shared/reference/kubernetes.md (the CRDs of hashicorp/vault-secrets-operator and
// Infisical/kubernetes-operator): field names, types, required fields, enums and patterns. The
// validator judges a manifest as `kubectl apply --validate=strict` would: an unknown field is an
// error, a required field with a default may be left out (the API server fills it in first), and
// fields the operator itself insists on ("empty role") count as required.

export type FieldSchema =
  | { readonly type: "string"; readonly required?: boolean; readonly enum?: readonly string[]; readonly pattern?: RegExp; readonly defaulted?: boolean }
  | { readonly type: "boolean"; readonly required?: boolean; readonly defaulted?: boolean }
  | { readonly type: "integer"; readonly required?: boolean; readonly minimum?: number; readonly maximum?: number }
  | { readonly type: "object"; readonly required?: boolean; readonly fields: Readonly<Record<string, FieldSchema>> }
  | { readonly type: "map"; readonly required?: boolean }
  | { readonly type: "array"; readonly required?: boolean; readonly items: FieldSchema };

export interface CrdModel {
  readonly apiVersion: string;
  readonly kind: string;
  readonly spec: Readonly<Record<string, FieldSchema>>;
}

const string = (more: Omit<Extract<FieldSchema, { type: "string" }>, "type"> = {}): FieldSchema => ({ type: "string", ...more });
const boolean = (more: Omit<Extract<FieldSchema, { type: "boolean" }>, "type"> = {}): FieldSchema => ({ type: "boolean", ...more });
const integer = (more: Omit<Extract<FieldSchema, { type: "integer" }>, "type"> = {}): FieldSchema => ({ type: "integer", ...more });
const object = (fields: Record<string, FieldSchema>, required = false): FieldSchema => ({ type: "object", fields, required });
const map = (): FieldSchema => ({ type: "map" });
const array = (items: FieldSchema, required = false): FieldSchema => ({ type: "array", items, required });
const required = { required: true } as const;

/** VSO's duration pattern (refreshAfter, timeout): no days. */
const vsoDuration = /^([0-9]+(\.[0-9]+)?(s|m|h))$/;
/** The Infisical operator's interval: `<n>s|m|h|d|w`. */
const infisicalInterval = /^[0-9]+(s|m|h|d|w)$/;

const vso = "secrets.hashicorp.com/v1beta1";

const destination = object({
  name: string(required),
  create: boolean(),
  overwrite: boolean(),
  labels: map(),
  annotations: map(),
  type: string(),
  transformation: object({
    excludeRaw: boolean(),
    excludes: array(string()),
    includes: array(string()),
    templates: map(),
    transformationRefs: array(object({ name: string(required), templateRefSpecs: array(map()), ignoreIncludes: boolean(), ignoreExcludes: boolean() })),
  }),
}, true);

const rolloutRestartTargets = array(object({ kind: string({ required: true, enum: ["Deployment", "DaemonSet", "StatefulSet", "argo.Rollout"] }), name: string(required) }));

export const vaultConnection: CrdModel = {
  apiVersion: vso,
  kind: "VaultConnection",
  spec: {
    address: string(required),
    skipTLSVerify: boolean({ required: true, defaulted: true }),
    caCertSecretRef: string(),
    caCertPath: string(),
    tlsServerName: string(),
    headers: map(),
    timeout: string({ pattern: vsoDuration }),
  },
};

export const vaultAuth: CrdModel = {
  apiVersion: vso,
  kind: "VaultAuth",
  spec: {
    // The schema requires none of these; the operator refuses a login without them.
    method: string({ required: true, enum: ["kubernetes", "jwt", "appRole", "aws", "gcp"] }),
    mount: string(required),
    kubernetes: object({
      role: string(required),
      serviceAccount: string(required),
      audiences: array(string()),
      tokenExpirationSeconds: integer({ minimum: 600 }),
    }),
    vaultConnectionRef: string(),
    allowedNamespaces: array(string()),
    namespace: string(),
    headers: map(),
    params: map(),
    jwt: object({ role: string(), secretRef: string(), serviceAccount: string(), audiences: array(string()), tokenExpirationSeconds: integer({ minimum: 600 }) }),
    appRole: object({ roleId: string(), secretRef: string(), secretIDPath: string() }),
    aws: map(),
    gcp: map(),
    storageEncryption: object({ mount: string(required), keyName: string(required) }),
    vaultAuthGlobalRef: object({ name: string(), namespace: string(), allowDefault: boolean(), mergeStrategy: object({ headers: string({ enum: ["union", "replace", "none"] }), params: string({ enum: ["union", "replace", "none"] }) }) }),
  },
};

export const vaultStaticSecret: CrdModel = {
  apiVersion: vso,
  kind: "VaultStaticSecret",
  spec: {
    type: string({ required: true, enum: ["kv-v1", "kv-v2"] }),
    mount: string(required),
    path: string(required),
    version: integer({ minimum: 0 }),
    destination,
    vaultAuthRef: string(),
    refreshAfter: string({ pattern: vsoDuration }),
    hmacSecretData: boolean({ defaulted: true }),
    rolloutRestartTargets,
    syncConfig: object({ instantUpdates: boolean() }),
    namespace: string(),
  },
};

export const vaultDynamicSecret: CrdModel = {
  apiVersion: vso,
  kind: "VaultDynamicSecret",
  spec: {
    mount: string(required),
    path: string(required),
    destination,
    params: map(),
    requestHTTPMethod: string({ enum: ["GET", "POST", "PUT"] }),
    renewalPercent: integer({ minimum: 0, maximum: 90 }),
    revoke: boolean(),
    allowStaticCreds: boolean(),
    refreshAfter: string({ pattern: vsoDuration }),
    rolloutRestartTargets,
    vaultAuthRef: string(),
    namespace: string(),
  },
};

const secretsScope = object({
  envSlug: string(required),
  secretsPath: string(required),
  projectSlug: string(),
  projectId: string(),
  recursive: boolean(),
  secretName: string(),
}, true);

const managedSecretReference = object({
  secretName: string(required),
  secretNamespace: string(required),
  secretType: string(),
  creationPolicy: string(),
  template: object({ includeAllSecrets: boolean(), data: map(), metadata: object({ labels: map(), annotations: map() }) }),
});

export const infisicalSecret: CrdModel = {
  apiVersion: "secrets.infisical.com/v1alpha1",
  kind: "InfisicalSecret",
  spec: {
    hostAPI: string(),
    authentication: object({
      kubernetesAuth: object({
        identityId: string(required),
        serviceAccountRef: object({ name: string(required), namespace: string(required) }, true),
        secretsScope,
        autoCreateServiceAccountToken: boolean(),
        serviceAccountTokenAudiences: array(string()),
      }),
      universalAuth: object({ credentialsRef: object({ secretName: string(required), secretNamespace: string(required) }), secretsScope }),
      awsIamAuth: map(),
      azureAuth: map(),
      gcpIdTokenAuth: map(),
      gcpIamAuth: map(),
      ldapAuth: map(),
      serviceToken: map(),
      serviceAccount: map(),
    }),
    managedKubeSecretReferences: array(managedSecretReference),
    managedSecretReference,
    managedKubeConfigMapReferences: array(object({ configMapName: string(required), configMapNamespace: string(required), template: map() })),
    syncConfig: object({ resyncInterval: string({ pattern: infisicalInterval }), instantUpdates: boolean() }),
    resyncInterval: integer(),
    instantUpdates: boolean(),
    tls: object({ caRef: object({ secretName: string(required), secretNamespace: string(required), key: string(required) }) }),
  },
};

export const operatorCrds: readonly CrdModel[] = [vaultConnection, vaultAuth, vaultStaticSecret, vaultDynamicSecret, infisicalSecret];

// Reference forms of Kubernetes' name rules (apimachinery's validation regexes).
const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const isDns1123Label = (value: string) => value.length <= 63 && dns1123Label.test(value);
export const isDns1123Subdomain = (value: string) => value.length <= 253 && dns1123Subdomain.test(value);

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

function checkField(schema: FieldSchema, value: unknown, at: string, problems: string[]): void {
  switch (schema.type) {
    case "string":
      if (typeof value !== "string") return void problems.push(`${at}: must be a string`);
      if (schema.enum && !schema.enum.includes(value)) problems.push(`${at}: "${value}" is not one of ${schema.enum.join(", ")}`);
      if (schema.pattern && !schema.pattern.test(value)) problems.push(`${at}: "${value}" does not match ${schema.pattern}`);
      return;
    case "boolean":
      if (typeof value !== "boolean") problems.push(`${at}: must be a boolean`);
      return;
    case "integer":
      if (!Number.isInteger(value)) return void problems.push(`${at}: must be an integer`);
      if (schema.minimum !== undefined && (value as number) < schema.minimum) problems.push(`${at}: below ${schema.minimum}`);
      if (schema.maximum !== undefined && (value as number) > schema.maximum) problems.push(`${at}: above ${schema.maximum}`);
      return;
    case "map":
      if (!isRecord(value)) problems.push(`${at}: must be an object`);
      return;
    case "array":
      if (!Array.isArray(value)) return void problems.push(`${at}: must be a list`);
      value.forEach((item, index) => checkField(schema.items, item, `${at}[${index}]`, problems));
      return;
    case "object":
      if (!isRecord(value)) return void problems.push(`${at}: must be an object`);
      checkFields(schema.fields, value, at, problems);
  }
}

function checkFields(fields: Readonly<Record<string, FieldSchema>>, value: Record<string, unknown>, at: string, problems: string[]): void {
  for (const key of Object.keys(value)) {
    if (!(key in fields)) problems.push(`${at}.${key}: unknown field (strict apply refuses it)`);
  }
  for (const [key, schema] of Object.entries(fields)) {
    const present = value[key] !== undefined;
    const defaulted = (schema.type === "string" || schema.type === "boolean") && schema.defaulted === true;
    if (!present) {
      if (schema.required && !defaulted) problems.push(`${at}.${key}: required`);
      continue;
    }
    checkField(schema, value[key], `${at}.${key}`, problems);
  }
}

/** The problems of one manifest against the models; empty when the API server and the operator accept it. */
export function validateManifest(manifest: unknown): string[] {
  if (!isRecord(manifest)) return ["the document is not an object"];
  const model = operatorCrds.find((crd) => crd.apiVersion === manifest.apiVersion && crd.kind === manifest.kind);
  if (!model) return [`${String(manifest.apiVersion)} ${String(manifest.kind)}: not a kind of the models`];
  const at = `${model.kind}`;
  const problems: string[] = [];
  for (const key of Object.keys(manifest)) {
    if (!["apiVersion", "kind", "metadata", "spec"].includes(key)) problems.push(`${at}.${key}: not written by clients (status is the operator's) or unknown`);
  }
  const metadata = manifest.metadata;
  if (!isRecord(metadata)) problems.push(`${at}.metadata: required`);
  else {
    if (typeof metadata.name !== "string" || !isDns1123Subdomain(metadata.name)) problems.push(`${at}.metadata.name: "${String(metadata.name)}" is not a DNS-1123 subdomain`);
    if (typeof metadata.namespace !== "string" || !isDns1123Label(metadata.namespace)) problems.push(`${at}.metadata.namespace: "${String(metadata.namespace)}" is not a DNS-1123 label`);
  }
  if (!isRecord(manifest.spec)) problems.push(`${at}.spec: must be an object`);
  else checkFields(model.spec, manifest.spec, `${at}.spec`, problems);
  return problems;
}
