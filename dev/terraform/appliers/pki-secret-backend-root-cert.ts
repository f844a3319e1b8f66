// vault_pki_secret_backend_root_cert: the root CA of a PKI mount (BACKEND/root/generate/TYPE).
// The certificate it computes is public; with type "exported" the private key too, which is
// sensitive. A mount that has its root already (kept by --data from an earlier start) keeps it,
// and the resource reads it back, so a restart does not replace the CA that issued the certificates.
import * as z from "zod";
import { defineApplier, defined, trimSlashes } from "../applier.ts";
import { tfNumber, tfString } from "../attributes.ts";
import { vaultData } from "../vault-api.ts";

export const pkiRootCertApplier = defineApplier({
  type: "vault_pki_secret_backend_root_cert",
  attributes: z.object({
    backend: tfString,
    type: z.enum(["internal", "exported"], { error: `must be "internal" or "exported" (keybridge dev keeps no KMS or existing keys)` }),
    common_name: tfString,
    ttl: tfString.optional(),
    key_type: tfString.optional(),
    key_bits: tfNumber.optional(),
    issuer_name: tfString.optional(),
    key_name: tfString.optional(),
  }),
  computed: ["certificate", "issuing_ca", "serial_number", "expiration", "private_key", "private_key_type"],
  sensitive: ["private_key"],
  async apply(attributes, vault) {
    const backend = trimSlashes(attributes.backend);
    const { backend: _backend, type, ...fields } = attributes;
    const generated = await vaultData(vault, "POST", `${backend}/root/generate/${type}`, defined(fields));
    const certificate: string = generated?.certificate ?? (await vaultData(vault, "GET", `${backend}/cert/ca`))?.certificate ?? "";
    return {
      ...attributes,
      backend,
      id: `${backend}/root/generate/${type}`,
      certificate,
      issuing_ca: generated?.issuing_ca ?? certificate,
      serial_number: generated?.serial_number ?? "",
      expiration: generated?.expiration ?? 0,
      private_key: generated?.private_key ?? "",
      private_key_type: generated?.private_key_type ?? "",
    };
  },
});
