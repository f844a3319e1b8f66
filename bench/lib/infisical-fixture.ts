// The Infisical side of the peer benchmark as Terraform JSON for `keybridge dev --terraform`: one
// project with folders /bench/f00 … under one root, five secrets each, and a machine identity that
// the benchmark's job logs in as with OIDC auth and that may read everything below /bench in prod.
import { randomBytes } from "node:crypto";

export interface InfisicalFixture {
  readonly document: Record<string, unknown>;
  readonly project: string;
  readonly environment: string;
  /** "/bench/f00" … */
  readonly folders: readonly string[];
  readonly secretCount: number;
  /** The output that holds the identity's id once applied. */
  readonly identityOutput: string;
}

const ref = (address: string, attribute: string) => `\${${address}.${attribute}}`;

export function infisicalFixture(options: { folders: number; secretsPerFolder: number; issuer: string; audience: string; repository: string }): InfisicalFixture {
  const project = "bench";
  const environment = "prod";
  const projectRef = ref("infisical_project.bench", "id");
  const envSlug = ref("infisical_project_environment.prod", "slug");
  const folderResources: Record<string, unknown> = {
    root: { project_id: projectRef, environment_slug: envSlug, folder_path: "/", name: "bench" },
  };
  const secrets: Record<string, unknown> = {};
  const folders: string[] = [];
  for (let f = 0; f < options.folders; f++) {
    const name = `f${String(f).padStart(2, "0")}`;
    folders.push(`/bench/${name}`);
    folderResources[name] = { project_id: projectRef, environment_slug: envSlug, folder_path: ref("infisical_secret_folder.root", "path"), name };
    for (let s = 0; s < options.secretsPerFolder; s++) {
      secrets[`${name}_k${s}`] = {
        workspace_id: projectRef,
        env_slug: envSlug,
        folder_path: ref(`infisical_secret_folder.${name}`, "path"),
        name: `${name.toUpperCase()}_K${s}`,
        value: randomBytes(24).toString("base64url"),
      };
    }
  }
  const document = {
    resource: {
      infisical_project: { bench: { name: project, slug: project, should_create_default_envs: false } },
      infisical_project_environment: { prod: { project_id: projectRef, name: "Production", slug: environment } },
      infisical_secret_folder: folderResources,
      infisical_secret: secrets,
      infisical_identity: { bench: { name: "bench", org_id: "7d0c5f0e-1111-4a2b-9c3d-000000000001", role: "no-access" } },
      infisical_identity_oidc_auth: {
        bench: {
          identity_id: ref("infisical_identity.bench", "id"),
          oidc_discovery_url: options.issuer,
          bound_issuer: options.issuer,
          bound_audiences: [options.audience],
          bound_claims: { repository: options.repository },
          access_token_ttl: 600,
        },
      },
      infisical_project_role: {
        bench: {
          project_id: projectRef,
          name: "bench-read",
          slug: "bench-read",
          permissions_v2: [{
            subject: "secrets",
            action: ["describeSecret", "readValue"],
            conditions: JSON.stringify({ environment: { $eq: environment }, secretPath: { $glob: "/bench/**" } }),
          }],
        },
      },
      infisical_project_identity: {
        bench: { project_id: projectRef, identity_id: ref("infisical_identity.bench", "id"), roles: [{ role_slug: ref("infisical_project_role.bench", "slug") }] },
      },
    },
    output: { bench_identity_id: { value: ref("infisical_identity.bench", "id") } },
  };
  return { document, project, environment, folders, secretCount: options.folders * options.secretsPerFolder, identityOutput: "bench_identity_id" };
}
