// Connections of the database secrets engine (database/config/<name>) as Vault stores them: the
// plugin, allowed roles and everything else as the plugin's connection details. No database is
// ever contacted. The password and the other credential fields are write-only: a read leaves them
// out, and a password written into connection_url is shown as "xxxxx", as Vault redacts it.
import * as z from "zod";
import { badRequest } from "../../core/errors.ts";
import { parseFields, vaultBool, vaultDuration, vaultInt, vaultStringList } from "../../core/fields.ts";

export interface DatabaseConnection {
  readonly pluginName: string;
  readonly pluginVersion: string;
  readonly allowedRoles: readonly string[];
  readonly rootRotationStatements: readonly string[];
  readonly passwordPolicy: string;
  readonly verifyConnection: boolean;
  readonly rotation: Readonly<Record<string, unknown>>;
  readonly details: Readonly<Record<string, unknown>>;
}

/** The built-in plugins of Vault's database engine (the provider's engine blocks name these). */
export const builtinDatabasePlugins: readonly string[] = [
  "cassandra-database-plugin",
  "couchbase-database-plugin",
  "elasticsearch-database-plugin",
  "hana-database-plugin",
  "influxdb-database-plugin",
  "mongodb-database-plugin",
  "mongodbatlas-database-plugin",
  "mssql-database-plugin",
  "mysql-aurora-database-plugin",
  "mysql-database-plugin",
  "mysql-legacy-database-plugin",
  "mysql-rds-database-plugin",
  "oracle-database-plugin",
  "postgresql-database-plugin",
  "redis-database-plugin",
  "redis-elasticache-database-plugin",
  "redshift-database-plugin",
  "snowflake-database-plugin",
];

/** Credentials among the connection details: stored for the (imaginary) plugin, never answered. */
export const writeOnlyDetails: ReadonlySet<string> = new Set([
  "password",
  "private_key",
  "service_account_json",
  "tls_certificate_key",
  "client_key",
  "pem_bundle",
  "pem_json",
]);

// hvac sends null for options it was not given.
const connectionFields = z.object({
  plugin_name: z.string().nullish(),
  plugin_version: z.string().nullish(),
  verify_connection: vaultBool.nullish(),
  allowed_roles: vaultStringList.nullish(),
  root_rotation_statements: z.union([z.array(z.string()), z.string().transform((text) => [text])]).nullish(),
  password_policy: z.string().nullish(),
  rotation_period: vaultDuration.nullish(),
  rotation_schedule: z.string().nullish(),
  rotation_window: vaultDuration.nullish(),
  disable_automated_rotation: vaultBool.nullish(),
  max_open_connections: vaultInt.nullish(),
  max_idle_connections: vaultInt.nullish(),
});

const topLevel = new Set(["plugin_name", "plugin_version", "verify_connection", "allowed_roles", "root_rotation_statements", "password_policy"]);
const rotationFields = ["rotation_period", "rotation_schedule", "rotation_window", "disable_automated_rotation"] as const;

/** "postgresql://user:secret@host/db" → "postgresql://user:xxxxx@host/db"; templated URLs stay as they are. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*:)([^@/]*)(@)/i, (whole, head: string, password: string, at: string) =>
    password === "{{password}}" ? whole : `${head}xxxxx${at}`,
  );
}

export function hasLiteralPassword(url: unknown): boolean {
  return typeof url === "string" && redactUrl(url) !== url;
}

/** Applies a config write to the existing connection (or creates one); connection details merge on update, as in Vault. */
export function writeConnection(existing: DatabaseConnection | undefined, data: Readonly<Record<string, unknown>>): DatabaseConnection {
  // The plugin takes arbitrary input (its own fields), so nothing here is "unrecognized".
  const fields = parseFields(connectionFields, data);
  const pluginName = fields.plugin_name ?? existing?.pluginName ?? "";
  if (pluginName === "") throw badRequest("empty plugin name");
  if (!builtinDatabasePlugins.includes(pluginName)) {
    throw badRequest(`error creating database object: plugin "${pluginName}" is not a built-in database plugin of keybridge dev; use one of ${builtinDatabasePlugins.join(", ")}`);
  }
  const details: Record<string, unknown> = { ...existing?.details };
  const rotation: Record<string, unknown> = { ...existing?.rotation };
  for (const [key, value] of Object.entries(data)) {
    if (value === null || topLevel.has(key)) continue;
    if ((rotationFields as readonly string[]).includes(key)) rotation[key] = fields[key as (typeof rotationFields)[number]];
    else details[key] = value;
  }
  return {
    pluginName,
    pluginVersion: fields.plugin_version ?? existing?.pluginVersion ?? "",
    allowedRoles: fields.allowed_roles ?? existing?.allowedRoles ?? [],
    rootRotationStatements: fields.root_rotation_statements ?? existing?.rootRotationStatements ?? [],
    passwordPolicy: fields.password_policy ?? existing?.passwordPolicy ?? "",
    verifyConnection: fields.verify_connection ?? true,
    rotation,
    details,
  };
}

/** The `data` of a config read: credentials left out, a literal password in connection_url redacted. */
export function connectionData(connection: DatabaseConnection): Record<string, unknown> {
  const details = Object.fromEntries(
    Object.entries(connection.details)
      .filter(([key]) => !writeOnlyDetails.has(key))
      .map(([key, value]) => [key, key === "connection_url" && typeof value === "string" ? redactUrl(value) : value]),
  );
  return {
    allowed_roles: connection.allowedRoles,
    connection_details: details,
    password_policy: connection.passwordPolicy,
    plugin_name: connection.pluginName,
    plugin_version: connection.pluginVersion,
    root_credentials_rotate_statements: connection.rootRotationStatements,
    verify_connection: connection.verifyConnection,
    ...connection.rotation,
  };
}

/** Vault's StrListContainsGlob: "*" anywhere in an allowed name matches any characters. */
export function roleAllowed(connection: DatabaseConnection, role: string): boolean {
  return connection.allowedRoles.some((pattern) => {
    const regex = new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
    return regex.test(role);
  });
}
