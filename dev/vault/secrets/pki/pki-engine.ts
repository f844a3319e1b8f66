// The PKI secrets engine (type "pki"), the subset CI jobs use: one root CA per mount
// (root/generate/internal|exported), roles (roles/NAME), issuance with a fresh key (issue/NAME),
// and the CA for clients (ca/pem and ca_chain as PEM, cert/ca as JSON; no token needed, as in
// Vault). Issued certificates are not stored: the dev backend keeps no CRL. The X.509 code loads on
// the first certificate, so a dev backend without PKI never pays for it.
import * as z from "zod";
import { X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import type { Backend, RequestContext, Route } from "../../core/backend.ts";
import type { VaultResult } from "../../core/envelope.ts";
import { badRequest } from "../../core/errors.ts";
import { entryName, namedEntryRoutes } from "../../core/named-entries.ts";
import { parseFields, vaultBool, vaultDuration, vaultInt, vaultStringList } from "../../core/fields.ts";
import { memoryScope, plainCodec, type StateScope } from "../../../persist/state-scope.ts";
import { keySpec, keySpecProblem, type KeySpec } from "./key-spec.ts";
import { issuingKeySpec, nameAllowed, pkiRoleData, writePkiRole, type PkiRole } from "./pki-roles.ts";

/** Vault's system default for a mount's maximum lease: 32 days, the longest a leaf gets unless the role says less. */
const systemMaxTtlSeconds = 768 * 3600;
/** Vault backdates certificates by the role's not_before_duration, 30 seconds by default, for clock skew. */
const backdateSeconds = 30;

interface StoredCa {
  readonly certificatePem: string;
  /** PKCS#8 PEM; saved as it is because the data file is encrypted. */
  readonly keyPem: string;
  readonly keyType: KeySpec["type"];
  readonly keyBits: number;
}

const rootFields = z.object({
  common_name: z.string().optional(),
  ttl: vaultDuration.optional(),
  key_type: z.enum(["rsa", "ec"], { message: `key_type must be "rsa" or "ec"` }).optional(),
  key_bits: vaultInt.optional(),
  issuer_name: z.string().optional(),
  key_name: z.string().optional(),
});

const issueFields = z.object({
  common_name: z.string().optional(),
  alt_names: vaultStringList.optional(),
  ip_sans: vaultStringList.optional(),
  ttl: vaultDuration.optional(),
  format: z.enum(["pem"], { message: `keybridge dev issues format "pem" only` }).optional(),
  private_key_format: z.enum(["der", "pem", "pkcs8", ""]).optional(),
  exclude_cn_from_sans: vaultBool.optional(),
});

const loadCertificates = () => import("./certificates.ts");

function notAllowed(what: "common name" | "subject alternate name", value: string) {
  return badRequest(`${what} ${value} not allowed by this role`);
}

class PkiEngine {
  private readonly ca: Map<string, StoredCa>;
  readonly roles: Map<string, PkiRole>;

  constructor(
    private readonly now: () => number,
    state: StateScope,
  ) {
    this.ca = state.map("ca", plainCodec<StoredCa>());
    this.roles = state.map("roles", plainCodec<PkiRole>());
  }

  private current(): StoredCa | undefined {
    return this.ca.get("default");
  }

  caPem(): string | undefined {
    return this.current()?.certificatePem;
  }

  async generateRoot(request: RequestContext): Promise<VaultResult> {
    const exported = request.params.type === "exported";
    if (this.current()) {
      // Vault before multi-issuer mounts, kept here: one CA per mount, never silently replaced.
      return { warnings: ["Refusing to generate a root certificate over an existing root certificate. If you really want to destroy the original root certificate, please issue a delete against the root endpoint."] };
    }
    const fields = parseFields(rootFields, request.data, request.warn);
    if (!fields.common_name) throw badRequest(`the common_name field is required, or must be provided in a CSR with "use_csr_common_name" set to true, unless "require_cn" is set to false`);
    const spec = keySpec(fields.key_type ?? "rsa", fields.key_bits ?? 0);
    const problem = keySpecProblem(spec);
    if (problem) throw badRequest(problem);
    const { generateKeys, privateKeyPem, selfSignedRoot } = await loadCertificates();
    const nowMs = this.now();
    const keys = await generateKeys(spec);
    const root = await selfSignedRoot({
      commonName: fields.common_name,
      notBefore: new Date(nowMs - backdateSeconds * 1000),
      notAfter: new Date(nowMs + (fields.ttl || systemMaxTtlSeconds) * 1000),
      spec,
      keys,
    });
    this.ca.set("default", { certificatePem: root.pem, keyPem: await privateKeyPem(keys.privateKey, spec, "pkcs8"), keyType: spec.type, keyBits: spec.bits });
    return {
      data: {
        certificate: root.pem,
        issuing_ca: root.pem,
        serial_number: root.serialNumber,
        expiration: Math.floor(root.notAfter.getTime() / 1000),
        ...(exported ? { private_key: await privateKeyPem(keys.privateKey, spec, ""), private_key_type: spec.type } : {}),
      },
    };
  }

  deleteRoot(): undefined {
    this.ca.delete("default");
    return undefined;
  }

  readRole(request: RequestContext): VaultResult | undefined {
    const role = this.roles.get(request.params.name!);
    return role ? { data: pkiRoleData(role) } : undefined;
  }

  writeRole(request: RequestContext): undefined {
    this.roles.set(request.params.name!, writePkiRole(this.roles.get(request.params.name!), request.data, request.warn));
    return undefined;
  }

  /** A fresh key pair and a certificate for it, within what the role allows. */
  async issue(request: RequestContext): Promise<VaultResult> {
    const roleName = request.params.name!;
    const role = this.roles.get(roleName);
    if (!role) throw badRequest(`unknown role: ${roleName}`);
    const fields = parseFields(issueFields, request.data, request.warn);
    const { dnsNames, ipAddresses, commonName } = this.checkedNames(role, fields);
    const ca = this.current();
    if (!ca) throw badRequest("no default issuer currently configured; generate a root with pki/root/generate/internal first");
    const notAfter = this.leafNotAfter(role, fields.ttl, ca, request.warn);
    const spec = issuingKeySpec(role);
    const caSpec = keySpec(ca.keyType, ca.keyBits);
    const { generateKeys, importSigningKey, privateKeyPem, signLeaf } = await loadCertificates();
    const keys = await generateKeys(spec);
    const leaf = await signLeaf({
      commonName,
      dnsNames,
      ipAddresses,
      notBefore: new Date(this.now() - backdateSeconds * 1000),
      notAfter,
      publicKey: keys.publicKey,
      serverAuth: role.serverFlag,
      clientAuth: role.clientFlag,
    }, { certificatePem: ca.certificatePem, signingKey: await importSigningKey(ca.keyPem, caSpec), spec: caSpec });
    return {
      data: {
        certificate: leaf.pem,
        issuing_ca: ca.certificatePem,
        ca_chain: [ca.certificatePem],
        private_key: await privateKeyPem(keys.privateKey, spec, fields.private_key_format ?? ""),
        private_key_type: spec.type,
        serial_number: leaf.serialNumber,
        expiration: Math.floor(leaf.notAfter.getTime() / 1000),
      },
    };
  }

  /** The names the certificate will carry, each checked against the role, with Vault's refusals. */
  private checkedNames(role: PkiRole, fields: z.infer<typeof issueFields>) {
    const commonName = fields.common_name ?? "";
    if (commonName === "" && role.requireCn) {
      throw badRequest(`the common_name field is required, or must be provided in a CSR with "use_csr_common_name" set to true, unless "require_cn" is set to false`);
    }
    if (commonName !== "" && !nameAllowed(role, commonName)) throw notAllowed("common name", commonName);
    const altNames = fields.alt_names ?? [];
    const badAlt = altNames.find((altName) => !nameAllowed(role, altName));
    if (badAlt !== undefined) throw notAllowed("subject alternate name", badAlt);
    const ipAddresses = fields.ip_sans ?? [];
    if (ipAddresses.length > 0 && !role.allowIpSans) throw badRequest(`IP Subject Alternative Names are not allowed in this role, but was provided ${ipAddresses.join(",")}`);
    const badIp = ipAddresses.find((address) => isIP(address) === 0);
    if (badIp !== undefined) throw badRequest(`the value "${badIp}" is not a valid IP address`);
    const withCn = commonName !== "" && !fields.exclude_cn_from_sans ? [commonName] : [];
    return { commonName, ipAddresses, dnsNames: [...new Set([...withCn, ...altNames])] };
  }

  /** The requested TTL (or the role's, or the mount's), cut to the role's max_ttl; never past the CA. */
  private leafNotAfter(role: PkiRole, requested: number | undefined, ca: StoredCa, warn: (warning: string) => void): Date {
    const maxTtl = role.maxTtl || systemMaxTtlSeconds;
    let ttl = requested || role.ttl || maxTtl;
    if (ttl > maxTtl) {
      warn(`TTL "${ttl}s" is longer than permitted maxTTL "${maxTtl}s", so maxTTL is being used`);
      ttl = maxTtl;
    }
    const notAfter = new Date(this.now() + ttl * 1000);
    const caNotAfter = new Date(new X509Certificate(ca.certificatePem).validTo);
    if (notAfter > caNotAfter) {
      throw badRequest(`cannot satisfy request, as TTL would result in notAfter of ${notAfter.toISOString()} that is beyond the expiration of the CA certificate at ${caNotAfter.toISOString()}`);
    }
    return notAfter;
  }
}

function pkiRoutes(engine: PkiEngine): Route[] {
  const pem = (text: string | undefined): VaultResult | undefined => (text === undefined ? undefined : { raw: { contentType: "application/pem-certificate-chain", text } });
  return [
    { pattern: /^root\/generate\/(?<type>internal|exported)$/, write: (request) => engine.generateRoot(request) },
    { pattern: /^root$/, delete: () => engine.deleteRoot() },
    ...namedEntryRoutes("roles", engine.roles, { read: (request) => engine.readRole(request), write: (request) => engine.writeRole(request) }),
    { pattern: new RegExp(String.raw`^issue\/${entryName}$`), write: (request) => engine.issue(request) },
    { pattern: /^ca\/pem$/, unauthenticated: true, read: () => pem(engine.caPem()) },
    { pattern: /^ca_chain$/, unauthenticated: true, read: () => pem(engine.caPem()) },
    { pattern: /^cert\/ca$/, unauthenticated: true, read: () => (engine.caPem() === undefined ? undefined : { data: { certificate: engine.caPem() } }) },
  ];
}

export function createPkiEngine(now: () => number, state: StateScope = memoryScope): Backend {
  return { type: "pki", routes: pkiRoutes(new PkiEngine(now, state)) };
}
