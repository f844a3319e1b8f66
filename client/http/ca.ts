// Extra certificate authorities for backends behind an internal CA: the ca-certificate input
// (PEM text, a file path, or base64 of PEM as vault-action takes it) plus NODE_EXTRA_CA_CERTS.
import { existsSync, readFileSync } from "node:fs";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";

const pemBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function pemBlocks(text: string): string[] {
  return text.match(pemBlock) ?? [];
}

function invalid(value: string, problem: string): KeybridgeError {
  const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
  return new KeybridgeError("KB_INPUT_INVALID",
    `Input ca-certificate: "${shown.split("\n")[0]}" ${problem}; give PEM text, the path of a PEM file, or base64 of PEM`);
}

/** The PEM certificates an input value holds. */
export function readCaInput(value: string): string[] {
  if (value.includes("-----BEGIN")) {
    const blocks = pemBlocks(value);
    if (blocks.length === 0) throw invalid(value, "holds no complete PEM certificate");
    return blocks;
  }
  if (existsSync(value)) {
    let text: string;
    try {
      text = readFileSync(value, "utf8");
    } catch (error) {
      throw invalid(value, `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    }
    const blocks = pemBlocks(text);
    if (blocks.length === 0) throw invalid(value, "is a file with no PEM certificate in it");
    return blocks;
  }
  if (/^[A-Za-z0-9+/=\s]+$/.test(value)) {
    const blocks = pemBlocks(Buffer.from(value, "base64").toString("utf8"));
    if (blocks.length > 0) return blocks;
  }
  throw invalid(value, "is neither PEM, nor an existing file, nor base64 of PEM");
}

/**
 * The trust list to give TLS when the input adds a CA. An explicit list replaces Node's defaults,
 * so the public roots and NODE_EXTRA_CA_CERTS are kept in it.
 */
export function trustedCertificates(caInput: string | undefined, env = process.env): string[] | undefined {
  if (!caInput) return undefined;
  const extraFile = env.NODE_EXTRA_CA_CERTS;
  const extra = extraFile && existsSync(extraFile) ? pemBlocks(readFileSync(extraFile, "utf8")) : [];
  // node:tls is loaded here, not at start: only a step with a CA input needs its list.
  return [...process.getBuiltinModule("node:tls").rootCertificates, ...extra, ...readCaInput(caInput)];
}
