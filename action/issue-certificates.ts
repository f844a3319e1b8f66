// vault-action's pki input: one certificate per request, issued in order as vault-action issues
// them, each giving four values to export (certificate, private key, issuing CA, CA chain) under
// vault-action's names. The log shows the path and serial number, never the certificate or key.
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";
import type { IssuedCertificate, SecretsBackend, Session } from "../client/backends/backend.ts";
import { pkiExportNames, pkiExports, type PkiField, type PkiRequest } from "../client/pki-spec.ts";
import type { SelectedSecret } from "../client/select-secrets.ts";

function fieldValue(issued: IssuedCertificate, field: PkiField): string {
  switch (field) {
    case "certificate":
      return issued.certificate;
    case "private_key":
      return issued.privateKey;
    case "issuing_ca":
      return issued.issuingCa;
    case "ca_chain":
      return issued.caChain.join("\n");
  }
}

export async function issueCertificates(backend: SecretsBackend, session: Session, requests: readonly PkiRequest[], log: (line: string) => void): Promise<SelectedSecret[]> {
  if (!backend.issueCertificate) {
    throw new KeybridgeError("KB_INPUT_INVALID", `Input pki: ${backend.name} has no PKI engine Keybridge can issue from; use the pki input with Vault or OpenBao`);
  }
  const selected: SelectedSecret[] = [];
  for (const request of requests) {
    const issued = await backend.issueCertificate(session, request.path, request.parameters);
    log(`Issued a certificate at ${request.path} (serial number ${issued.serialNumber})`);
    for (const { suffix, field } of pkiExports) {
      selected.push({ ...pkiExportNames(request, suffix), value: fieldValue(issued, field), path: request.path, key: field, nameFrom: "workflow" });
    }
  }
  return selected;
}
