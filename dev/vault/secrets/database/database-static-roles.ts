// Static roles of the database secrets engine (database/static-roles/<name>): one existing
// database user whose password Vault owns and changes every rotation_period. Rotation is lazy:
// a read of static-creds/ (or of the role) first catches up with the rotations that fell due
// since the last one, so no timer keeps the process alive; rotate-role/ rotates on demand.
import * as z from "zod";
import { badRequest } from "../../core/errors.ts";
import { parseFields, vaultBool, vaultDuration } from "../../core/fields.ts";
import { randomBase62 } from "../../token/token-store.ts";

/** Vault refuses shorter periods: its rotation queue ticks every 5 seconds. */
const shortestPeriodSeconds = 5;

export interface StaticRole {
  readonly dbName: string;
  readonly username: string;
  readonly rotationPeriod: number;
  readonly rotationStatements: readonly string[];
  readonly credentialType: string;
  /** The password Vault last set (saved in the encrypted data file like every other credential). */
  password: string;
  /** ms since the epoch. */
  lastRotation: number;
}

const statements = z.union([z.array(z.string()), z.string().transform((text) => (text === "" ? [] : [text]))]);

const staticRoleFields = z.object({
  db_name: z.string().nullish(),
  username: z.string().nullish(),
  rotation_period: vaultDuration.nullish(),
  rotation_schedule: z.string().nullish(),
  rotation_statements: statements.nullish(),
  credential_type: z.string().nullish(),
  skip_import_rotation: vaultBool.nullish(),
});

/** Vault's generated password shape: "A1a-" (for complexity rules) and 20 random characters. */
export function newDatabasePassword(): string {
  return `A1a-${randomBase62(20)}`;
}

export function writeStaticRole(existing: StaticRole | undefined, data: Readonly<Record<string, unknown>>, now: number, warn: (w: string) => void): StaticRole {
  const fields = parseFields(staticRoleFields, data, warn);
  if (fields.rotation_schedule) throw badRequest("rotation_schedule is not supported by keybridge dev: give rotation_period");
  const username = fields.username ?? existing?.username ?? "";
  if (username === "") throw badRequest("username is a required field to create a static account");
  if (existing && fields.username && fields.username !== existing.username) throw badRequest("cannot update static account username");
  const dbName = fields.db_name ?? existing?.dbName ?? "";
  if (dbName === "") throw badRequest("database name is a required field");
  const rotationPeriod = fields.rotation_period ?? existing?.rotationPeriod ?? 0;
  if (rotationPeriod === 0) throw badRequest("one of rotation_schedule or rotation_period must be provided to create a static account");
  if (rotationPeriod < shortestPeriodSeconds) throw badRequest(`rotation_period must be ${shortestPeriodSeconds} seconds or more`);
  const credentialType = fields.credential_type ?? existing?.credentialType ?? "password";
  if (credentialType !== "password") throw badRequest(`credential_type "${credentialType}" is not supported by keybridge dev: it fabricates passwords only`);
  const rotationStatements = fields.rotation_statements ?? existing?.rotationStatements ?? [];
  // A new role takes over the user by setting its password, unless told to import it as it is.
  const fresh = !existing && fields.skip_import_rotation !== true;
  return {
    dbName,
    username,
    rotationPeriod,
    rotationStatements,
    credentialType,
    password: existing?.password ?? (fresh ? newDatabasePassword() : ""),
    lastRotation: existing?.lastRotation ?? now,
  };
}

/** Sets a new password now. */
export function rotateStaticRole(role: StaticRole, now: number): void {
  role.password = newDatabasePassword();
  role.lastRotation = now;
}

/** Catches up: rotates once if a period has passed since the last rotation. True when it rotated. */
export function rotateIfDue(role: StaticRole, now: number): boolean {
  if (now - role.lastRotation < role.rotationPeriod * 1000) return false;
  rotateStaticRole(role, now);
  return true;
}

/** Seconds until the next rotation, as static-creds/ reports it (ttl). */
function secondsLeft(role: StaticRole, now: number): number {
  return Math.max(0, Math.ceil((role.lastRotation + role.rotationPeriod * 1000 - now) / 1000));
}

export function staticRoleData(role: StaticRole, now: number): Record<string, unknown> {
  return {
    db_name: role.dbName,
    username: role.username,
    rotation_period: role.rotationPeriod,
    rotation_statements: role.rotationStatements,
    credential_type: role.credentialType,
    last_vault_rotation: new Date(role.lastRotation).toISOString(),
    ttl: secondsLeft(role, now),
  };
}

export function staticCredentialsData(role: StaticRole, now: number): Record<string, unknown> {
  return {
    username: role.username,
    password: role.password,
    last_vault_rotation: new Date(role.lastRotation).toISOString(),
    rotation_period: role.rotationPeriod,
    ttl: secondsLeft(role, now),
  };
}
