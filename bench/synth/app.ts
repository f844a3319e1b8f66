// A generated platform for the synth benchmark: `projects` projects, each with dev, staging and a
// protected prod, four secrets (two with rotation rules, one by the backend), and five grants per
// environment mixing what real apps declare: a repository on main pinned to the self-hosted runner,
// release tags by glob, a tools repository by events, an organization's shared workflow (a named
// deploy repository on prod, where organization grants are refused), and an SSO group.
import {
  Duration, GitHubOidc, Rotation, SecretsPlatform, SsoGroup, VaultBackend, type TerraformStack,
} from "../../provider/index.ts";

export const environmentsPerProject = 3;
export const grantsPerEnvironment = 5;

export function declareBenchPlatform(stack: TerraformStack, projects: number): SecretsPlatform {
  const platform = new SecretsPlatform(stack, "platform", { backend: VaultBackend.kvV2({ mount: "secret" }) });
  for (let i = 0; i < projects; i++) {
    const name = `p${String(i).padStart(4, "0")}`;
    const project = platform.addProject(name, { environments: ["dev", "staging", { name: "prod", protected: true }] });
    project.addSecret("database", { keys: ["username", "password"], rotation: Rotation.every(Duration.days(30)) });
    project.addSecret("api/stripe", { keys: ["api_key", "webhook_secret"], rotation: Rotation.every(Duration.days(90)) });
    project.addSecret("api/signing", { keys: ["private_key"], rotation: Rotation.byBackend(Duration.days(7)) });
    project.addSecret("wandb", { keys: ["api_key"] });
    for (const environment of ["dev", "staging", "prod"]) {
      project.grantRead(GitHubOidc.repository(`acme/${name}`, { ref: "refs/heads/main", environment, runner: "self-hosted" }),
        { id: `ci-main-${environment}`, environment, paths: ["database", "api/*"], tokenTtl: Duration.minutes(10) });
      project.grantRead(GitHubOidc.repository(`acme/${name}`, { refPattern: "refs/tags/v*", environment, runner: "self-hosted" }),
        { id: `release-${environment}`, environment, paths: ["api/stripe"], tokenTtl: Duration.minutes(5) });
      project.grantRead(GitHubOidc.repository(`acme/${name}-tools`, { ref: "refs/heads/main", events: ["push", "workflow_dispatch"], runner: "self-hosted" }),
        { id: `tools-${environment}`, environment, paths: ["wandb"], tokenTtl: Duration.minutes(15) });
      const shared = environment === "prod"
        ? GitHubOidc.repository("acme/deploy", { environment: "prod", workflow: "acme/ci-templates/.github/workflows/deploy.yml@refs/heads/main", runner: "self-hosted" })
        : GitHubOidc.organization("acme", { workflow: "acme/ci-templates/.github/workflows/evaluate.yml@refs/heads/main" });
      project.grantRead(shared, { id: `shared-${environment}`, environment, paths: ["wandb", "api/signing"] });
      project.grantReadWrite(SsoGroup.named(`okta:${name}-${environment}-admins`), { id: `admins-${environment}`, environment, tokenTtl: Duration.hours(1) });
    }
  }
  return platform;
}
