// The database engine blocks of the Vault provider (postgresql { connection_url … }, mysql { … },
// …), shared by vault_database_secret_backend_connection (one block) and
// vault_database_secrets_mount (a list of named blocks): each block's attributes as the provider
// declares them, the plugin it stands for, the request body the provider sends for it (hosts
// joined, *_wo values under their plain names, lifetimes in seconds), and the block as state keeps
// it here: without its credentials, which are written to Vault and never echoed.
import * as z from "zod";
import { tfBool, tfNumber, tfString, tfStringList, tfStringMap } from "../attributes.ts";

const s = tfString.optional();
const n = tfNumber.optional();
const b = tfBool.optional();
const l = tfStringList.optional();

const pooled = {
  connection_url: s,
  max_connection_lifetime: n,
  max_idle_connections: n,
  max_open_connections: n,
  username: s,
  password: s,
  password_wo: s,
  password_wo_version: n,
  username_template: s,
};
const mysql = { ...pooled, auth_type: s, service_account_json: s, tls_ca: s, tls_certificate_key: s };

/** Engine block name → the built-in plugin the provider names by default, and its attributes. */
export const databaseEngines = {
  cassandra: { plugin: "cassandra-database-plugin", fields: { connect_timeout: n, hosts: l, insecure_tls: b, password: s, pem_bundle: s, pem_json: s, port: n, protocol_version: n, skip_verification: b, tls: b, username: s } },
  couchbase: { plugin: "couchbase-database-plugin", fields: { base64_pem: s, bucket_name: s, hosts: l, insecure_tls: b, password: s, tls: b, username: s, username_template: s } },
  elasticsearch: { plugin: "elasticsearch-database-plugin", fields: { ca_cert: s, ca_path: s, client_cert: s, client_key: s, insecure: b, password: s, tls_server_name: s, url: s, username: s, username_template: s } },
  hana: { plugin: "hana-database-plugin", fields: { ...pooled, username_template: undefined, disable_escaping: b } },
  influxdb: { plugin: "influxdb-database-plugin", fields: { connect_timeout: n, host: s, insecure_tls: b, password: s, pem_bundle: s, pem_json: s, port: n, tls: b, username: s, username_template: s } },
  mongodb: { plugin: "mongodb-database-plugin", fields: pooled },
  mongodbatlas: { plugin: "mongodbatlas-database-plugin", fields: { private_key: s, project_id: s, public_key: s } },
  mssql: { plugin: "mssql-database-plugin", fields: { ...pooled, contained_db: b, disable_escaping: b } },
  mysql: { plugin: "mysql-database-plugin", fields: mysql },
  mysql_aurora: { plugin: "mysql-aurora-database-plugin", fields: mysql },
  mysql_legacy: { plugin: "mysql-legacy-database-plugin", fields: mysql },
  mysql_rds: { plugin: "mysql-rds-database-plugin", fields: mysql },
  oracle: { plugin: "oracle-database-plugin", fields: { ...pooled, disconnect_sessions: b, self_managed: b, split_statements: b } },
  postgresql: {
    plugin: "postgresql-database-plugin",
    fields: { ...pooled, auth_type: s, disable_escaping: b, password_authentication: s, private_key: s, self_managed: b, service_account_json: s, tls_ca: s, tls_certificate: s },
  },
  redis: { plugin: "redis-database-plugin", fields: { ca_cert: s, host: s, insecure_tls: b, password: s, port: n, tls: b, username: s } },
  redis_elasticache: { plugin: "redis-elasticache-database-plugin", fields: { password: s, region: s, url: s, username: s } },
  redshift: { plugin: "redshift-database-plugin", fields: { ...pooled, disable_escaping: b } },
  snowflake: { plugin: "snowflake-database-plugin", fields: { ...pooled, private_key_wo: s, private_key_wo_version: n } },
} as const;

export type EngineName = keyof typeof databaseEngines;
export const engineNames = Object.keys(databaseEngines) as EngineName[];

/** Settings every connection has: top-level on the connection resource, inside each block of the mount. */
export const connectionSettings = {
  allowed_roles: l,
  data: tfStringMap.optional(),
  disable_automated_rotation: b,
  plugin_name: s,
  root_rotation_statements: l,
  rotation_period: n,
  rotation_schedule: s,
  rotation_window: n,
  verify_connection: b,
};

/** Attributes of a block that hold credentials: sent to Vault, kept out of state. */
const credentials = new Set(["password", "password_wo", "private_key", "private_key_wo", "service_account_json", "tls_certificate_key", "client_key", "pem_bundle", "pem_json", "data"]);

/** A block's schema: its attributes only, so a misspelt one is named rather than dropped. */
export function engineBlock<Extra extends z.ZodRawShape>(engine: EngineName, extra: Extra) {
  const fields = Object.fromEntries(Object.entries(databaseEngines[engine].fields).filter(([, field]) => field !== undefined)) as z.ZodRawShape;
  return z.strictObject({ ...fields, ...extra }, {
    error: (issue) => (issue.code === "unrecognized_keys" ? `must hold only the provider's ${engine} attributes; remove or fix ${issue.keys.join(", ")}` : undefined),
  });
}

/** The request body of database/config/NAME for one block and the connection's settings. */
export function connectionBody(engine: EngineName, block: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const body: Record<string, unknown> = { plugin_name: databaseEngines[engine].plugin };
  for (const [key, value] of Object.entries(block)) {
    if (value === undefined || key === "name" || key === "data" || key.endsWith("_wo_version")) continue;
    if (key === "hosts" && Array.isArray(value)) body.hosts = value.join(",");
    else if (key === "max_connection_lifetime") body[key] = `${String(value)}s`;
    else if (key.endsWith("_wo")) body[key.slice(0, -"_wo".length)] = value;
    else body[key] = value;
  }
  // The provider's `data` map goes into the body as it is (templated connection strings use it).
  return { ...body, ...(block.data as Record<string, unknown> | undefined) };
}

/** The block as state keeps it here: credentials dropped, so no reference can carry them elsewhere. */
export function blockState(block: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(block).filter(([key]) => !credentials.has(key)));
}
