// The backend-neutral policy document, `keybridge.policy.json`: who may read what, in which
// environment, with which token lifetime and rotation. Synth writes it; plans diff two of them.
// zod/mini keeps this module small enough for the Action's plan bundle.
import * as z from "zod/mini";
import { isKubernetesName } from "./kubernetes/names.ts";
import { Generator } from "./rotation-generator.ts";

export const documentVersion = 1;

/** The shapes of names, paths and rule IDs: the schema below and the fast reader (load-valid.ts) share them. */
export const patterns = {
  name: /^[a-z0-9][a-z0-9._-]*$/,
  secretPath: /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/,
  folderGlob: /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*\/\*$/,
  ruleId: /^KB\d{3}$/,
} as const;

const name = z.string().check(z.regex(patterns.name, "must be lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"));
const secretPath = z.string().check(z.regex(patterns.secretPath, "must be a relative path of names separated by '/'"));
const seconds = z.number().check(z.int(), z.positive());

export const capabilities = ["read", "list", "write", "delete"] as const;
export type Capability = (typeof capabilities)[number];

/** A job of GitHub Actions, matched on its OIDC token's claims (each claim: any of the values). */
export const GitHubOidcPrincipal = z.object({
  kind: z.literal("github-oidc"),
  /** The name of an issuer of the document. */
  issuer: name,
  /** The `aud` the job's token must carry (GitHub's default is https://github.com/<owner>). */
  audience: z.string().check(z.minLength(1)),
  /** Claim name → accepted values (any of). With `match: "glob"`, `*` matches any characters. */
  claims: z.record(z.string().check(z.minLength(1)), z.array(z.string().check(z.minLength(1))).check(z.minLength(1))),
  match: z.enum(["exact", "glob"]),
});

/** People, by a group of the SSO provider (bound through the backend's identity groups). */
export const SsoGroupPrincipal = z.object({
  kind: z.literal("sso-group"),
  group: z.string().check(z.minLength(1)),
});

// Cluster names and namespaces are DNS-1123 labels; service accounts DNS-1123 subdomains.
const label = z.string().check(z.refine((value) => isKubernetesName(value, "label"), "must be a DNS-1123 label (lower-case letters, digits and '-', at most 63)"));
const subdomain = z.string().check(z.refine((value) => isKubernetesName(value, "subdomain"), "must be a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', at most 253)"));

/** Workloads of one Kubernetes service account, logging in through the cluster's own auth mount. */
export const KubernetesPrincipal = z.object({
  kind: z.literal("kubernetes"),
  /** The cluster's name as declared (`KubernetesCluster`): each cluster has its own auth mount. */
  cluster: label,
  namespace: label,
  serviceAccount: subdomain,
});

export const Principal = z.discriminatedUnion("kind", [GitHubOidcPrincipal, SsoGroupPrincipal, KubernetesPrincipal]);

export const Acknowledgement = z.object({
  rule: z.string().check(z.regex(patterns.ruleId, "must be a risk rule ID such as KB101")),
  reason: z.string().check(z.minLength(10, "must say why the risk is accepted (10 characters or more)")),
});

export const Grant = z.object({
  /** Stable within its project (the construct id): a renamed grant that grants the same is not a change. */
  id: name,
  principal: Principal,
  /** An environment of the project, or "*" for all of them. */
  environment: z.union([name, z.literal("*")]),
  /** Secrets of the project, a folder glob ("api/*"), or "*" for all. */
  paths: z.array(z.union([secretPath, z.literal("*"), z.string().check(z.regex(patterns.folderGlob))])).check(z.minLength(1)),
  capabilities: z.array(z.enum(capabilities)).check(z.minLength(1)),
  tokenTtlSeconds: seconds,
  tokenMaxTtlSeconds: seconds,
  acknowledgements: z.array(Acknowledgement),
});

export const rotationStrategies = ["manual", "backend", "generated"] as const;

export const Rotation = z.object({
  /** Any positive period: the constructs keep users to 1 hour or more, tests write shorter ones. */
  maxAgeSeconds: seconds,
  /**
   * manual: people rotate and Keybridge warns when overdue; backend: the backend rotates it;
   * generated: `keybridge rotate` writes a new value made by `generator` when it is due.
   */
  strategy: z.enum(rotationStrategies),
  /** How a generated secret's values are made (strategy "generated" only). */
  generator: z.optional(Generator),
});

export const Secret = z.object({
  /** The path below `<project>/<environment>/`, e.g. "database" or "api/stripe". */
  name: secretPath,
  keys: z.array(z.string().check(z.minLength(1))),
  rotation: z.optional(Rotation),
});

export const Environment = z.object({
  name,
  /** Protected environments (prod) only accept grants bound to a ref or a GitHub environment. */
  protected: z.boolean(),
});

export const Project = z.object({
  name,
  environments: z.array(Environment).check(z.minLength(1)),
  secrets: z.array(Secret),
  grants: z.array(Grant),
});

export const Issuer = z.object({
  name,
  url: z.url({ protocol: /^https?$/ }),
});

export const VaultTarget = z.object({
  type: z.literal("vault"),
  /** The KV v2 mount holding the secrets, at `<mount>/data/<project>/<environment>/<secret>`. */
  mount: secretPath,
  /** The JWT auth mount for CI logins. */
  authPath: secretPath,
});

export const InfisicalTarget = z.object({
  type: z.literal("infisical"),
  url: z.url({ protocol: /^https?$/ }),
});

export const PolicyDocument = z.object({
  version: z.literal(documentVersion),
  backend: z.discriminatedUnion("type", [VaultTarget, InfisicalTarget]),
  issuers: z.array(Issuer).check(z.minLength(1)),
  projects: z.array(Project),
});

export type GitHubOidcPrincipal = z.infer<typeof GitHubOidcPrincipal>;
export type SsoGroupPrincipal = z.infer<typeof SsoGroupPrincipal>;
export type KubernetesPrincipal = z.infer<typeof KubernetesPrincipal>;
export type Principal = z.infer<typeof Principal>;
export type Acknowledgement = z.infer<typeof Acknowledgement>;
export type Grant = z.infer<typeof Grant>;
export type Rotation = z.infer<typeof Rotation>;
export type Secret = z.infer<typeof Secret>;
export type Environment = z.infer<typeof Environment>;
export type Project = z.infer<typeof Project>;
export type Issuer = z.infer<typeof Issuer>;
export type PolicyDocument = z.infer<typeof PolicyDocument>;
