// vault-action's `pki` input: certificates to issue, separated by `;` as vault-action splits them
// (not by lines, so the JSON may span lines), each `<path> <JSON parameters>`, such as
// `pki/issue/web {"common_name": "ci.example.com", "ttl": "1h"}`. Each request exports four values
// named after the path's last segment, by vault-action's naming rule: NAME_CERT, NAME_KEY,
// NAME_CA, NAME_CA_CHAIN (and the same names in their output case).
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";
import { visible } from "../policy/render/sanitize.ts";
import { envName, outputName } from "./env-names.ts";
import { isPortableName, portableNameRule } from "./name-policy.ts";

export interface PkiRequest {
  /** The request as written up to its parameters, for messages (parameters are not shown). */
  readonly path: string;
  /** 1-based position among the `;`-separated requests. */
  readonly index: number;
  readonly parameters: Readonly<Record<string, unknown>>;
  /** The path's last segment, which names the exports. */
  readonly name: string;
}

/** What each request exports, in vault-action's order: the suffix and the field of the answer. */
export const pkiExports = [
  { suffix: "cert", field: "certificate" },
  { suffix: "key", field: "private_key" },
  { suffix: "ca", field: "issuing_ca" },
  { suffix: "ca_chain", field: "ca_chain" },
] as const;

export type PkiField = (typeof pkiExports)[number]["field"];

function invalid(index: number, path: string, problem: string, fix: string): KeybridgeError {
  return new KeybridgeError("KB_INPUT_INVALID", `Input pki, request ${index}${path ? ` (${visible(path, 120)})` : ""}: ${problem}; ${fix}`);
}

const example = `write it as <path> <JSON>, for example pki/issue/web {"common_name": "ci.example.com"}`;

function parseOne(text: string, index: number): PkiRequest {
  const space = text.search(/\s/);
  const path = space === -1 ? text : text.slice(0, space);
  const json = space === -1 ? "" : text.slice(space + 1).trim();
  if (path === "" || json === "") throw invalid(index, path, "has no path and parameters", example);
  if (path.split("/").some((segment) => segment === "" || segment === "." || segment === "..") || /[?#%]/.test(path)) {
    throw invalid(index, path, "is not a Vault API path", "give the issue endpoint of a PKI role, for example pki/issue/web");
  }
  let parameters: unknown;
  try {
    parameters = JSON.parse(json);
  } catch {
    throw invalid(index, path, "its parameters are not valid JSON", example);
  }
  if (parameters === null || typeof parameters !== "object" || Array.isArray(parameters)) {
    throw invalid(index, path, "its parameters are not a JSON object", example);
  }
  const name = path.split("/").pop()!;
  const unusable = pkiExports.map(({ suffix }) => envName(`${name}_${suffix}`)).find((exported) => !isPortableName(exported));
  if (unusable !== undefined) {
    throw new KeybridgeError("KB_NAME_INVALID", `Input pki, request ${index} (${visible(path, 120)}): the role's name gives ${visible(unusable, 80)}, not a portable variable name (${portableNameRule}); issue from a role whose name starts with a letter`);
  }
  return { path, index, parameters: parameters as Record<string, unknown>, name };
}

export function parsePkiSpec(text: string): PkiRequest[] {
  return text.split(";").map((piece) => piece.trim()).filter((piece) => piece !== "").map((piece, index) => parseOne(piece, index + 1));
}

/** The env and output names of one export of a request, as vault-action names them. */
export function pkiExportNames(request: PkiRequest, suffix: string): { envName: string; outputName: string } {
  return { envName: envName(`${request.name}_${suffix}`), outputName: outputName(`${request.name}_${suffix}`) };
}
