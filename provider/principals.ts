// Who a grant is for: GitHub Actions jobs matched on their OIDC claims, people in an SSO group, or
// the workloads of a Kubernetes service account.
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";
import type { Principal as PrincipalDocument } from "../policy/document.ts";
import { kubernetesNameProblem } from "../policy/kubernetes/names.ts";

export interface IPrincipal {
  /** A short name for construct ids and messages: "acme-training", "okta-ml-admins". */
  readonly idHint: string;
  /** What the plan and the messages call it: "acme/training on refs/heads/main". */
  describe(): string;
  toDocument(issuer: string): PrincipalDocument;
}

/** The runner a job must run on (`runner_environment`). */
export type RunnerEnvironment = "self-hosted" | "github-hosted";

export interface GitHubJobConditions {
  /** The exact ref the job runs for, e.g. "refs/heads/main". */
  readonly ref?: string;
  /** A ref glob, e.g. "refs/tags/v*" (`*` matches any characters, `/` included). */
  readonly refPattern?: string;
  /** The GitHub deployment environment of the job (`environment` claim). */
  readonly environment?: string;
  /** Events that may trigger the job (`event_name`), e.g. ["push", "workflow_dispatch"]. */
  readonly events?: readonly string[];
  /** The reusable workflow the job must come from (`job_workflow_ref`), exact or glob. */
  readonly workflow?: string;
  /** The runner the job must run on. */
  readonly runner?: RunnerEnvironment;
  /** The token's audience. @default "https://github.com/<owner>" (GitHub's default) */
  readonly audience?: string;
}

const repositoryPattern = /^[A-Za-z0-9_.-]+\/(?:[A-Za-z0-9_.-]+|\*|[A-Za-z0-9_.-]*\*[A-Za-z0-9_.*-]*)$/;
const ownerPattern = /^[A-Za-z0-9_.-]+$/;

function slug(text: string): string {
  return text.toLowerCase().replace(/\*/g, "any").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

export class GitHubOidc implements IPrincipal {
  /** Jobs of one repository ("acme/training"), or of repositories matching a glob ("acme/ml-*"). */
  static repository(repository: string, conditions: GitHubJobConditions = {}): GitHubOidc {
    if (!repositoryPattern.test(repository)) {
      throw new KeybridgeError("KB_CONSTRUCT_INVALID", `GitHubOidc.repository("${repository}"): give owner/name, for example "acme/training" (a * glob may stand in the name)`);
    }
    const owner = repository.split("/")[0]!;
    return new GitHubOidc({ repository: [repository] }, owner, slug(repository), repository, conditions);
  }

  /** Jobs of any repository of an owner (`repository_owner`): broad, refused on protected environments. */
  static organization(owner: string, conditions: GitHubJobConditions = {}): GitHubOidc {
    if (!ownerPattern.test(owner)) throw new KeybridgeError("KB_CONSTRUCT_INVALID", `GitHubOidc.organization("${owner}"): give the owner's login, for example "acme"`);
    return new GitHubOidc({ repository_owner: [owner] }, owner, slug(owner), `any repository of ${owner}`, conditions);
  }

  readonly claims: Readonly<Record<string, readonly string[]>>;
  readonly audience: string;

  private constructor(
    base: Record<string, string[]>,
    owner: string,
    readonly idHint: string,
    private readonly subject: string,
    conditions: GitHubJobConditions,
  ) {
    if (conditions.ref && conditions.refPattern) {
      throw new KeybridgeError("KB_CONSTRUCT_INVALID", `GitHubOidc for ${subject}: give ref or refPattern, not both`);
    }
    // Copied key by key: a spread copy that then gets more keys is slow to build in V8.
    const claims: Record<string, string[]> = {};
    for (const claim in base) claims[claim] = base[claim]!;
    const ref = conditions.ref ?? conditions.refPattern;
    if (ref) claims.ref = [ref];
    if (conditions.environment) claims.environment = [conditions.environment];
    if (conditions.events && conditions.events.length > 0) claims.event_name = [...conditions.events];
    if (conditions.workflow) claims.job_workflow_ref = [conditions.workflow];
    if (conditions.runner) claims.runner_environment = [conditions.runner];
    for (const claim in claims) {
      for (const value of claims[claim]!) {
        if (value.includes(",")) throw new KeybridgeError("KB_CONSTRUCT_INVALID", `GitHubOidc for ${subject}: the ${claim} value "${value}" holds a comma, which Vault reads as a list separator`);
      }
    }
    this.claims = claims;
    this.audience = conditions.audience ?? `https://github.com/${owner}`;
  }

  describe(): string {
    const conditions = Object.entries(this.claims)
      .filter(([claim]) => claim !== "repository" && claim !== "repository_owner")
      .map(([claim, values]) => `${claim} ${values.join(" or ")}`);
    return conditions.length > 0 ? `${this.subject} (${conditions.join(", ")})` : this.subject;
  }

  /** A copy of the claims, by name. */
  private sortedClaims(): Record<string, string[]> {
    const sorted: Record<string, string[]> = {};
    for (const claim of Object.keys(this.claims).sort()) sorted[claim] = [...this.claims[claim]!];
    return sorted;
  }

  toDocument(issuer: string): PrincipalDocument {
    const globbed = Object.values(this.claims).some((values) => values.some((value) => value.includes("*")));
    // Keys and claims in sorted order, as keybridge.policy.json writes them: the writer takes the document as it is.
    return {
      audience: this.audience,
      claims: this.sortedClaims(),
      issuer,
      kind: "github-oidc",
      match: globbed ? "glob" : "exact",
    };
  }
}

export class SsoGroup implements IPrincipal {
  /** A group of the SSO provider, as it appears in the provider's groups claim. */
  static named(group: string): SsoGroup {
    if (group.trim() === "") throw new KeybridgeError("KB_CONSTRUCT_INVALID", "SsoGroup.named(\"\"): give the group's name as the SSO provider sends it");
    return new SsoGroup(group);
  }

  readonly idHint: string;

  private constructor(readonly group: string) {
    this.idHint = slug(group);
  }

  describe(): string {
    return `SSO group ${this.group}`;
  }

  toDocument(): PrincipalDocument {
    return { group: this.group, kind: "sso-group" };
  }
}

/** Workloads running as one service account of one namespace of a declared cluster. */
export class KubernetesServiceAccount implements IPrincipal {
  /** Prefer `cluster.serviceAccount(namespace, name)`. */
  static of(cluster: string, namespace: string, name: string): KubernetesServiceAccount {
    const at = `service account ${namespace}/${name} of cluster ${cluster}`;
    const namespaceProblem = kubernetesNameProblem(namespace, "label");
    if (namespaceProblem) throw new KeybridgeError("KB_CONSTRUCT_INVALID", `${at}: namespace ${namespaceProblem}; give the namespace the workloads run in`);
    const nameProblem = kubernetesNameProblem(name, "subdomain");
    if (nameProblem) throw new KeybridgeError("KB_CONSTRUCT_INVALID", `${at}: serviceAccount ${nameProblem}; give the service account's name`);
    return new KubernetesServiceAccount(cluster, namespace, name);
  }

  readonly idHint: string;

  private constructor(
    readonly cluster: string,
    readonly namespace: string,
    readonly name: string,
  ) {
    this.idHint = slug(`k8s-${cluster}-${namespace}-${name}`);
  }

  describe(): string {
    return `service account ${this.namespace}/${this.name} in cluster ${this.cluster}`;
  }

  toDocument(): PrincipalDocument {
    return { cluster: this.cluster, kind: "kubernetes", namespace: this.namespace, serviceAccount: this.name };
  }
}
