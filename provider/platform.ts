// The root construct: one secrets backend, its projects, and the policy document synth writes
// beside cdk.tf.json as keybridge.policy.json.
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Construct, TerraformStack, type ISynthesisSession } from "./cdk.ts";
import type { PolicyDocument } from "../policy/document.ts";
import { documentVersion } from "../policy/document.ts";
import { parsePolicyDocument } from "../policy/load.ts";
import { canonicalize, stableSortedCopy, stableStringify } from "../policy/canonical.ts";
import { writeJsonFile } from "./json-pieces.ts";
import { Duration } from "./duration.ts";
import type { BoundTarget, IBackendTarget } from "./targets/target.ts";
import { SecretsProject, type ProjectOptions } from "./project.ts";
import { KubernetesCluster, type KubernetesClusterProps } from "./kubernetes/cluster.ts";
import { KubernetesManifests, manifestDirectory } from "./kubernetes/manifests.ts";
import { synthesizeStack } from "./stack-writer.ts";
import { prepareWithoutDeclared } from "./bodies-aside.ts";
import { keepRecordsWhileSynthesizing } from "./deferred-resources.ts";

export const policyDocumentFile = "keybridge.policy.json";

/** GitHub.com's OIDC issuer; GitHub Enterprise Server uses https://HOSTNAME/_services/token. */
export const githubIssuerUrl = "https://token.actions.githubusercontent.com";

export interface SecretsPlatformProps {
  /** Where the secrets live: `VaultBackend.kvV2()` or `InfisicalBackend.project()`. */
  readonly backend: IBackendTarget;
  /** The OIDC issuer of the CI jobs. @default "https://token.actions.githubusercontent.com" */
  readonly githubIssuer?: string;
  /** Token lifetime of grants that do not set tokenTtl. @default Duration.minutes(10) */
  readonly defaultTokenTtl?: Duration;
}

export class SecretsPlatform extends Construct {
  private readonly target: BoundTarget;
  private readonly issuerUrl: string;
  private readonly projects: SecretsProject[] = [];
  private readonly defaultTokenTtl: Duration;
  private readonly manifests = new KubernetesManifests();
  private readonly clusters = new Map<string, KubernetesCluster>();

  constructor(scope: Construct, id: string, props: SecretsPlatformProps) {
    super(scope, id);
    this.issuerUrl = props.githubIssuer ?? githubIssuerUrl;
    this.defaultTokenTtl = props.defaultTokenTtl ?? Duration.minutes(10);
    this.target = props.backend.bind({ scope: this, issuerUrl: this.issuerUrl, manifests: this.manifests });
    // The stack's synthesizer is public API: wrapping it writes the document beside cdk.tf.json,
    // after validation passed, whether synth runs through `keybridge synth` or the cdktf CLI.
    const stack = TerraformStack.of(this);
    const synthesizer = stack.synthesizer;
    const writer = {
      synthesize: (session: ISynthesisSession) => {
        synthesizeStack(stack, synthesizer, session);
        this.writePolicyDocument(session);
        this.writeManifests(session);
      },
    };
    stack.synthesizer = writer;
    // The resources the target keeps as records wait for the stack writer, while it still writes the stack.
    keepRecordsWhileSynthesizing(stack, () => stack.synthesizer === writer);
    // So is prepareStack(), which app.synth() calls first, only to find tokens: our elements as
    // declared, which hold none, sit it out (provider/settled-elements.ts).
    const prepareStack = stack.prepareStack.bind(stack);
    stack.prepareStack = () => prepareWithoutDeclared(stack, prepareStack);
  }

  addProject(name: string, options: ProjectOptions = {}): SecretsProject {
    const project = new SecretsProject(this, name, { target: this.target, issuer: "github", defaultTokenTtl: this.defaultTokenTtl }, options);
    this.projects.push(project);
    return project;
  }

  /**
   * A cluster whose operator syncs secrets (`project.syncToKubernetes`). The backend gets a
   * Kubernetes auth of its own for it (Vault: the mount `kubernetes-<name>`).
   */
  addKubernetesCluster(name: string, props: KubernetesClusterProps): KubernetesCluster {
    if (this.clusters.has(name)) throw new KeybridgeError("KB_CONSTRUCT_INVALID", `${this.node.path}: cluster "${name}" is declared twice`);
    const cluster = new KubernetesCluster(this, name, props);
    this.clusters.set(name, cluster);
    this.target.addKubernetesCluster(cluster);
    return cluster;
  }

  /** The backend-neutral policy document of everything declared, in canonical order. */
  toPolicyDocument(): PolicyDocument {
    return canonicalize({
      version: documentVersion,
      backend: this.target.document,
      issuers: [{ name: "github", url: this.issuerUrl }],
      projects: this.projects.map((project) => project.toDocument()),
    });
  }

  private writePolicyDocument(session: ISynthesisSession): void {
    const document = this.toPolicyDocument();
    const checked = parsePolicyDocument(document);
    if (!checked.ok) throw new KeybridgeError("KB_SYNTH_INVALID", `${this.node.path}: the policy document is invalid: ${checked.problems.join("; ")}`);
    const stackFile = join(session.outdir, session.manifest.forStack(TerraformStack.of(this)).synthesizedStackPath);
    // toPolicyDocument() is canonical already: serializePolicyDocument() would canonicalize it again.
    // Written as stableStringify() writes it, in pieces of a project each (provider/json-pieces.ts).
    const file = join(dirname(stackFile), policyDocumentFile);
    const sorted = stableSortedCopy(document);
    if (sorted === undefined) writeFileSync(file, stableStringify(document));
    else writeJsonFile(file, sorted, { walkedDepth: 2, end: "\n" });
  }

  /** `kubernetes/<cluster>.yaml` beside cdk.tf.json, for each cluster with manifests known at synth. */
  private writeManifests(session: ISynthesisSession): void {
    const files = this.manifests.render();
    if (files.size === 0) return;
    const stackFile = join(session.outdir, session.manifest.forStack(TerraformStack.of(this)).synthesizedStackPath);
    const directory = join(dirname(stackFile), manifestDirectory);
    mkdirSync(directory, { recursive: true });
    for (const [cluster, text] of files) writeFileSync(join(directory, `${cluster}.yaml`), text);
  }
}
