// vault-action's connection inputs: extra headers (one `Name: value` per line, as both peer
// actions read them) and TLS beyond a CA: a client certificate for mutual TLS, and skipping the
// server's certificate check, which works but is announced in a warning.
import { Buffer } from "node:buffer";
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";

export interface TlsOptions {
  readonly skipVerify: boolean;
  /** Base64 of PEM (vault-action's form) or PEM text. */
  readonly clientCertificate: string | undefined;
  readonly clientKey: string | undefined;
}

/** Names lower-cased, a repeated name's values joined with ", ", as vault-action and Infisical's action do. */
export function parseHeaderLines(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split("\n").map((piece) => piece.trim()).filter((piece) => piece !== "")) {
    const colon = line.indexOf(":");
    const name = line.slice(0, Math.max(colon, 0)).trim().toLowerCase();
    if (colon < 1 || !/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) {
      throw new KeybridgeError("KB_INPUT_INVALID", "Input extraHeaders/extra-headers has a line that is not `Name: value` (values hidden): write one header per line, for example `X-Firewall-Key: …`");
    }
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return headers;
}

/** PEM text from an input that holds PEM or base64 of PEM. */
export function pemFromInput(name: string, value: string): string {
  const pem = value.includes("-----BEGIN") ? value : Buffer.from(value, "base64").toString("utf8");
  if (!pem.includes("-----BEGIN")) {
    throw new KeybridgeError("KB_INPUT_INVALID", `Input ${name} (value hidden) is neither PEM nor base64 of PEM: encode the PEM file with base64 -w0`);
  }
  return pem;
}
