// A PKI role (pki/roles/NAME): which names its certificates may carry, their lifetimes and key
// type. Names are checked the way Vault's role checks read: any name, localhost, the allowed
// domains themselves (allow_bare_domains), their subdomains (allow_subdomains), or glob patterns
// (allow_glob_domains); a hostname check first when enforce_hostnames is on (the default).
import * as z from "zod";
import { parseFields, vaultBool, vaultDuration, vaultInt, vaultStringList } from "../../core/fields.ts";
import { badRequest } from "../../core/errors.ts";
import { keySpec, keySpecProblem, type KeySpec } from "./key-spec.ts";

export interface PkiRole {
  readonly allowedDomains: readonly string[];
  readonly allowSubdomains: boolean;
  readonly allowBareDomains: boolean;
  readonly allowGlobDomains: boolean;
  readonly allowAnyName: boolean;
  readonly allowLocalhost: boolean;
  readonly allowIpSans: boolean;
  readonly enforceHostnames: boolean;
  readonly serverFlag: boolean;
  readonly clientFlag: boolean;
  readonly requireCn: boolean;
  /** Seconds; 0 means the mount's default. */
  readonly ttl: number;
  readonly maxTtl: number;
  readonly keyType: "rsa" | "ec" | "any";
  readonly keyBits: number;
}

const roleFields = z.object({
  allowed_domains: vaultStringList.optional(),
  allow_subdomains: vaultBool.optional(),
  allow_bare_domains: vaultBool.optional(),
  allow_glob_domains: vaultBool.optional(),
  allow_any_name: vaultBool.optional(),
  allow_localhost: vaultBool.optional(),
  allow_ip_sans: vaultBool.optional(),
  enforce_hostnames: vaultBool.optional(),
  server_flag: vaultBool.optional(),
  client_flag: vaultBool.optional(),
  require_cn: vaultBool.optional(),
  ttl: vaultDuration.optional(),
  max_ttl: vaultDuration.optional(),
  key_type: z.enum(["rsa", "ec", "any"], { message: `key_type must be "rsa", "ec" or "any"` }).optional(),
  key_bits: vaultInt.optional(),
});

const defaults: PkiRole = {
  allowedDomains: [],
  allowSubdomains: false,
  allowBareDomains: false,
  allowGlobDomains: false,
  allowAnyName: false,
  allowLocalhost: true,
  allowIpSans: true,
  enforceHostnames: true,
  serverFlag: true,
  clientFlag: true,
  requireCn: true,
  ttl: 0,
  maxTtl: 0,
  keyType: "rsa",
  keyBits: 0,
};

/** A write replaces the fields it names and keeps the others, as Vault's role update does. */
export function writePkiRole(existing: PkiRole | undefined, data: Readonly<Record<string, unknown>>, warn: (warning: string) => void): PkiRole {
  const fields = parseFields(roleFields, data, warn);
  const base = existing ?? defaults;
  const role: PkiRole = {
    allowedDomains: fields.allowed_domains ?? base.allowedDomains,
    allowSubdomains: fields.allow_subdomains ?? base.allowSubdomains,
    allowBareDomains: fields.allow_bare_domains ?? base.allowBareDomains,
    allowGlobDomains: fields.allow_glob_domains ?? base.allowGlobDomains,
    allowAnyName: fields.allow_any_name ?? base.allowAnyName,
    allowLocalhost: fields.allow_localhost ?? base.allowLocalhost,
    allowIpSans: fields.allow_ip_sans ?? base.allowIpSans,
    enforceHostnames: fields.enforce_hostnames ?? base.enforceHostnames,
    serverFlag: fields.server_flag ?? base.serverFlag,
    clientFlag: fields.client_flag ?? base.clientFlag,
    requireCn: fields.require_cn ?? base.requireCn,
    ttl: fields.ttl ?? base.ttl,
    maxTtl: fields.max_ttl ?? base.maxTtl,
    keyType: fields.key_type ?? base.keyType,
    keyBits: fields.key_bits ?? base.keyBits,
  };
  if (role.ttl > 0 && role.maxTtl > 0 && role.ttl > role.maxTtl) throw badRequest(`"ttl" value must be less than "max_ttl" value`);
  if (role.keyType !== "any") {
    const problem = keySpecProblem(keySpec(role.keyType, role.keyBits));
    if (problem) throw badRequest(problem);
  }
  return role;
}

export function pkiRoleData(role: PkiRole): Record<string, unknown> {
  return {
    allowed_domains: role.allowedDomains,
    allow_subdomains: role.allowSubdomains,
    allow_bare_domains: role.allowBareDomains,
    allow_glob_domains: role.allowGlobDomains,
    allow_any_name: role.allowAnyName,
    allow_localhost: role.allowLocalhost,
    allow_ip_sans: role.allowIpSans,
    enforce_hostnames: role.enforceHostnames,
    server_flag: role.serverFlag,
    client_flag: role.clientFlag,
    require_cn: role.requireCn,
    ttl: role.ttl,
    max_ttl: role.maxTtl,
    key_type: role.keyType,
    key_bits: role.keyBits,
  };
}

/** The key an issued certificate gets: the role's type and size; "any" is for signing CSRs only. */
export function issuingKeySpec(role: PkiRole): KeySpec {
  if (role.keyType === "any") throw badRequest(`role key type "any" not allowed for issuing certificates, only signing`);
  return keySpec(role.keyType, role.keyBits);
}

const hostnameLabel = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A DNS name, optionally with a leading wildcard label (*.example.com). */
function isHostname(name: string): boolean {
  const labels = (name.startsWith("*.") ? name.slice(2) : name).split(".");
  return name.length <= 253 && labels.every((label) => hostnameLabel.test(label));
}

function globMatches(pattern: string, name: string): boolean {
  const source = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${source}$`).test(name);
}

function inAllowedDomain(role: PkiRole, name: string): boolean {
  return role.allowedDomains.some((allowed) => {
    const domain = allowed.toLowerCase();
    if (role.allowBareDomains && name === domain) return true;
    if (role.allowSubdomains && name.endsWith(`.${domain}`)) return true;
    return role.allowGlobDomains && domain.includes("*") && globMatches(domain, name);
  });
}

/** Whether the role lets a certificate carry this DNS name (common name or alt name). */
export function nameAllowed(role: PkiRole, requested: string): boolean {
  const name = requested.toLowerCase();
  if (role.enforceHostnames && !isHostname(name)) return false;
  if (role.allowAnyName) return true;
  if (role.allowLocalhost && (name === "localhost" || name === "localdomain")) return true;
  return inAllowedDomain(role, name);
}
