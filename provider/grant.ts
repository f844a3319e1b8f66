// One grant: a principal may use some capabilities on some secrets of one environment (or all),
// with tokens of a bounded lifetime. Checked at synth; the target makes the backend resources.
import { Annotations, Construct } from "./cdk.ts";
import type { Capability, Grant as GrantDocument } from "../policy/document.ts";
import { Duration } from "./duration.ts";
import { describeDuration } from "../policy/duration-text.ts";
import type { IPrincipal } from "./principals.ts";
import { grantProblems, type ProjectFacts } from "./validation.ts";

export interface Acknowledgement {
  /** The risk rule accepted, e.g. "KB103". */
  readonly rule: string;
  /** Why it is accepted: shown in every plan that reports the risk. */
  readonly reason: string;
}

export interface GrantOptions {
  /** The environment the grant applies to, or "*" for every environment of the project. */
  readonly environment: string;
  /** Secrets of the project, folder globs ("api/*"), or "*". @default ["*"] */
  readonly paths?: readonly string[];
  /** Lifetime of the backend token a login gets. @default the platform's defaultTokenTtl (10 minutes) */
  readonly tokenTtl?: Duration;
  /** Longest a token may be renewed to. @default tokenTtl */
  readonly tokenMaxTtl?: Duration;
  /** The grant's id: stable, it names the role and policy. @default "<principal>-<environment>-<kind>" */
  readonly id?: string;
  /** Risks accepted for this grant, each with its reason. @default none */
  readonly acknowledgements?: readonly Acknowledgement[];
}

export interface SecretGrantProps extends GrantOptions {
  readonly principal: IPrincipal;
  readonly capabilities: readonly Capability[];
  readonly issuer: string;
  readonly defaultTokenTtl: Duration;
  readonly project: () => ProjectFacts;
}

/**
 * A grant's checks at synth: errors stop it, warnings are annotations. A class rather than a
 * closure per grant (under tsx, each named closure made costs a defineProperty of its name).
 */
class GrantChecks {
  constructor(
    private readonly grant: Construct,
    private readonly document: GrantDocument,
    private readonly project: () => ProjectFacts,
  ) {}

  validate(): string[] {
    // The checks read no acknowledgement: the document as declared, not a copy with them.
    const { errors, warnings } = grantProblems(this.document, this.project());
    for (const warning of warnings) Annotations.of(this.grant).addWarning(warning);
    return errors;
  }
}

export class SecretGrant extends Construct {
  readonly principal: IPrincipal;
  private readonly document: GrantDocument;
  private readonly acknowledgements: Acknowledgement[];

  constructor(scope: Construct, id: string, props: SecretGrantProps) {
    super(scope, id);
    this.principal = props.principal;
    this.acknowledgements = [...(props.acknowledgements ?? [])];
    const tokenTtl = props.tokenTtl ?? props.defaultTokenTtl;
    // Keys in sorted order, as keybridge.policy.json writes them: the writer takes the document as it is.
    this.document = {
      acknowledgements: [],
      capabilities: [...props.capabilities],
      environment: props.environment,
      id,
      paths: [...(props.paths ?? ["*"])],
      principal: props.principal.toDocument(props.issuer),
      tokenMaxTtlSeconds: (props.tokenMaxTtl ?? tokenTtl).toSeconds(),
      tokenTtlSeconds: tokenTtl.toSeconds(),
    };
    this.node.addValidation(new GrantChecks(this, this.document, props.project));
  }

  /** Accepts a risk a plan reports for this grant, with the reason reviewers will read. */
  acknowledge(rule: string, reason: string): void {
    this.acknowledgements.push({ rule, reason });
  }

  /** "acme/training (ref refs/heads/main) may read database in prod for 10 min". */
  describe(): string {
    const { environment, paths, capabilities, tokenTtlSeconds } = this.document;
    return `${this.principal.describe()} may ${capabilities.join("/")} ${paths.join(", ")} in ${environment === "*" ? "every environment" : environment} for ${describeDuration(tokenTtlSeconds)}`;
  }

  toDocument(): GrantDocument {
    return { ...this.document, acknowledgements: this.acknowledgements.map((ack) => ({ ...ack })) };
  }
}
