// A small hand-written Infisical project for in-process tests: project "shop" with dev and prod,
// nested folders, secrets with references and metadata, and imports, plus whichever identities a
// test adds. Values are fake and distinctive so that tests can look for them in output. Infisical
// references are written "$${...}": in Terraform a bare "${" starts an interpolation.
import { ciIdentity, ref, resources } from "./infisical-backend.ts";

export const shopClaims = { repository: "acme/shop", ref: "refs/heads/main" };
export const shopAuth = { bound_audiences: ["https://github.com/acme"], bound_claims: { repository: "acme/shop" } };

const project = "infisical_project.shop";
const environment = (slug: string) => `infisical_project_environment.${slug}`;

function folder(name: string, env: string, parent: string | undefined, folderName: string) {
  return {
    [name]: {
      project_id: ref(project, "id"),
      environment_slug: ref(environment(env), "slug"),
      folder_path: parent ? ref(`infisical_secret_folder.${parent}`, "path") : "/",
      name: folderName,
    },
  };
}

function secret(name: string, env: string, folderAddress: string | undefined, key: string, value: string, extra: Record<string, unknown> = {}) {
  return {
    [name]: {
      workspace_id: ref(project, "id"),
      env_slug: ref(environment(env), "slug"),
      folder_path: folderAddress ? ref(`infisical_secret_folder.${folderAddress}`, "path") : "/",
      name: key,
      value,
      ...extra,
    },
  };
}

function secretImport(name: string, env: string, folderAddress: string, fromEnv: string, fromFolder: string) {
  return {
    [name]: {
      project_id: ref(project, "id"),
      environment_slug: ref(environment(env), "slug"),
      folder_path: ref(`infisical_secret_folder.${folderAddress}`, "path"),
      import_environment_slug: ref(environment(fromEnv), "slug"),
      import_folder_path: ref(`infisical_secret_folder.${fromFolder}`, "path"),
      is_replication: false,
    },
  };
}

export const shopValues = {
  rootKey: "root-3b1f",
  apiUrl: "https://api.shop.internal",
  devApiUrl: "https://dev-api.shop.internal",
  dbHost: "db-7a41.internal",
  dbPassword: "pw-c0ffee-91",
  shared: "shared-55e2",
  otherSecret: "other-7788",
} as const;

export function shopDocument(identities: ReturnType<typeof ciIdentity>[] = [], extra: Record<string, Record<string, Record<string, unknown>>> = {}) {
  const v = shopValues;
  return {
    provider: { infisical: [{ host: "https://infisical.example" }] },
    resource: resources(
      {
        infisical_project: { shop: { name: "Shop", slug: "shop", should_create_default_envs: false } },
        infisical_project_environment: {
          dev: { project_id: ref(project, "id"), name: "Development", slug: "dev" },
          prod: { project_id: ref(project, "id"), name: "Production", slug: "prod" },
        },
        infisical_secret_folder: {
          ...folder("prod_app", "prod", undefined, "app"),
          ...folder("prod_app_db", "prod", "prod_app", "db"),
          ...folder("prod_shared", "prod", undefined, "shared"),
          ...folder("prod_other", "prod", undefined, "other"),
          ...folder("dev_app", "dev", undefined, "app"),
        },
        infisical_secret: {
          ...secret("root_key", "prod", undefined, "ROOT_KEY", v.rootKey),
          ...secret("api_url", "prod", "prod_app", "API_URL", v.apiUrl, { metadata: { owner: "team-shop" } }),
          ...secret("db_url", "prod", "prod_app", "DB_URL", "postgres://app@$${prod.app.db.HOST}/shop"),
          ...secret("login", "prod", "prod_app", "LOGIN", "$${API_URL}/login"),
          ...secret("root_ref", "prod", "prod_app", "ROOT_REF", "$${prod.ROOT_KEY}"),
          ...secret("dev_ref", "prod", "prod_app", "DEV_REF", "$${dev.app.API_URL}"),
          ...secret("missing_ref", "prod", "prod_app", "MISSING_REF", "x-$${NOPE}-y"),
          ...secret("cycle_a", "prod", "prod_app", "CYCLE_A", "a-$${CYCLE_B}"),
          ...secret("cycle_b", "prod", "prod_app", "CYCLE_B", "b-$${CYCLE_A}"),
          ...secret("db_host", "prod", "prod_app_db", "HOST", v.dbHost),
          ...secret("db_password", "prod", "prod_app_db", "PASSWORD", v.dbPassword),
          ...secret("shared", "prod", "prod_shared", "SHARED", v.shared),
          ...secret("shared_clash", "prod", "prod_shared", "CLASH", "from-prod-shared"),
          ...secret("other", "prod", "prod_other", "OTHER", v.otherSecret),
          ...secret("other_ref", "prod", "prod_other", "OTHER_REF", "$${prod.app.db.PASSWORD}"),
          ...secret("dev_api_url", "dev", "dev_app", "API_URL", v.devApiUrl),
          ...secret("dev_clash", "dev", "dev_app", "CLASH", "from-dev-app"),
        },
        // prod:/app imports dev:/app, then prod:/shared (the later import wins CLASH), which
        // itself imports prod:/other (a nested import).
        infisical_secret_import: {
          ...secretImport("app_from_dev", "prod", "prod_app", "dev", "dev_app"),
          ...secretImport("app_from_shared", "prod", "prod_app", "prod", "prod_shared"),
          ...secretImport("shared_from_other", "prod", "prod_shared", "prod", "prod_other"),
        },
      },
      ...identities,
      extra,
    ),
    output: {
      project_id: { value: ref(project, "id") },
      ...Object.fromEntries(
        identities.flatMap((identity) => Object.keys(identity.infisical_identity!).map((name) => [name, { value: ref(`infisical_identity.${name}`, "id") }])),
      ),
    },
  };
}

export { ciIdentity };
