// Dynamic roles of the database secrets engine (database/roles/<name>) as Vault stores them: the
// connection they use, the statements a real plugin would run, and the lease TTLs of their
// credentials. A write updates only the fields it names, as in Vault.
import * as z from "zod";
import { badRequest } from "../../core/errors.ts";
import { parseFields, vaultDuration, vaultStringMap } from "../../core/fields.ts";

export interface DatabaseRole {
  readonly dbName: string;
  readonly creationStatements: readonly string[];
  readonly revocationStatements: readonly string[];
  readonly rollbackStatements: readonly string[];
  readonly renewStatements: readonly string[];
  /** Seconds; 0 means the system default. */
  readonly defaultTtl: number;
  /** Seconds; 0 means the system maximum. */
  readonly maxTtl: number;
  readonly credentialType: string;
  readonly credentialConfig: Readonly<Record<string, string>> | null;
}

/** Vault's TypeStringSlice: a list, or one string taken whole (SQL may hold commas). */
const statements = z.union([z.array(z.string()), z.string().transform((text) => (text === "" ? [] : [text]))]);

const roleFields = z.object({
  db_name: z.string().nullish(),
  creation_statements: statements.nullish(),
  revocation_statements: statements.nullish(),
  rollback_statements: statements.nullish(),
  renew_statements: statements.nullish(),
  default_ttl: vaultDuration.nullish(),
  max_ttl: vaultDuration.nullish(),
  credential_type: z.string().nullish(),
  credential_config: vaultStringMap.nullish(),
});

export function writeDatabaseRole(existing: DatabaseRole | undefined, data: Readonly<Record<string, unknown>>, warn: (w: string) => void): DatabaseRole {
  const fields = parseFields(roleFields, data, warn);
  const role: DatabaseRole = {
    dbName: fields.db_name ?? existing?.dbName ?? "",
    creationStatements: fields.creation_statements ?? existing?.creationStatements ?? [],
    revocationStatements: (fields.revocation_statements ?? existing?.revocationStatements ?? []).filter((statement) => statement.trim() !== ""),
    rollbackStatements: fields.rollback_statements ?? existing?.rollbackStatements ?? [],
    renewStatements: fields.renew_statements ?? existing?.renewStatements ?? [],
    defaultTtl: fields.default_ttl ?? existing?.defaultTtl ?? 0,
    maxTtl: fields.max_ttl ?? existing?.maxTtl ?? 0,
    credentialType: fields.credential_type ?? existing?.credentialType ?? "password",
    credentialConfig: fields.credential_config ?? existing?.credentialConfig ?? null,
  };
  if (role.dbName === "") throw badRequest("database name is required");
  if (!["password", "rsa_private_key", "client_certificate"].includes(role.credentialType)) {
    throw badRequest(`invalid credential_type "${role.credentialType}"`);
  }
  if (role.credentialType !== "password") {
    throw badRequest(`credential_type "${role.credentialType}" is not supported by keybridge dev: it fabricates passwords only`);
  }
  return role;
}

/** The `data` of a role read, with Vault's field names. */
export function databaseRoleData(role: DatabaseRole): Record<string, unknown> {
  return {
    db_name: role.dbName,
    creation_statements: role.creationStatements,
    revocation_statements: role.revocationStatements,
    rollback_statements: role.rollbackStatements,
    renew_statements: role.renewStatements,
    default_ttl: role.defaultTtl,
    max_ttl: role.maxTtl,
    credential_type: role.credentialType,
    ...(role.credentialConfig ? { credential_config: role.credentialConfig } : {}),
  };
}
