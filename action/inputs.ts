// The Action's inputs, validated with zod before anything is sent anywhere. A bad input stops the
// step with one line that names the input, the bad value (never a secret) and the fix.
import * as z from "zod/mini";
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";
import { boolean, integer, InputProblem, oneOf, optionalText, parsedAs, readInputs } from "./input-parsers.ts";
import { parseSecretsSpec, type SecretRequest } from "../client/secrets-spec.ts";
import { maskEncodings, type MaskEncoding } from "./masking.ts";
import type { InfisicalScope } from "../client/backends/infisical.ts";
import { isPortableName, parseAllowNames, portableNameRule } from "../client/name-policy.ts";

const inputNames = [
  "mode", "backend", "url", "namespace", "method", "token", "path", "role", "audience", "secrets",
  "identity-id", "project", "environment", "recursive", "include-imports", "expand-references",
  "export-env", "export-outputs", "export-file", "export-file-format", "mask-encodings",
  "ca-certificate", "timeout", "retries", "revoke", "ignore-not-found", "rotation-check", "allow-names",
] as const;
type InputName = (typeof inputNames)[number];

/** Inputs whose value must never be echoed in an error. */
const secretInputs: ReadonlySet<string> = new Set<InputName>(["token"]);

export interface ExportFile {
  /** A plain file name; the file is always created in a private directory under $RUNNER_TEMP. */
  readonly name: string;
  readonly format: "dotenv" | "json";
}

export interface FetchInputs {
  readonly backend: "vault" | "openbao" | "infisical";
  readonly url: URL;
  readonly namespace: string | undefined;
  readonly method: "jwt" | "token";
  readonly token: string | undefined;
  readonly authPath: string;
  readonly role: string | undefined;
  readonly audience: string | undefined;
  readonly secrets: readonly SecretRequest[];
  readonly exportEnv: boolean;
  readonly exportOutputs: boolean;
  readonly exportFile: ExportFile | undefined;
  readonly maskEncodings: readonly MaskEncoding[];
  /** Extra trusted CA certificates (PEM text or file path), resolved later by the HTTP layer. */
  readonly caCertificate: string | undefined;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly revoke: boolean;
  readonly ignoreNotFound: boolean;
  /** Set when backend is infisical. */
  readonly infisical: InfisicalScope | undefined;
  /** What to do about a secret older than its rotation rule allows. */
  readonly rotationCheck: "warn" | "fail" | "off";
  /** Upper-cased names a `*`/`**` read may export although they control how programs run. */
  readonly allowNames: ReadonlySet<string>;
}

const httpUrl = parsedAs((text) => {
  if (text === "") throw new InputProblem("is empty", "give the backend's address, for example https://vault.internal:8200");
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || !/^https?:\/\//i.test(text)) {
    throw new InputProblem("has no http:// or https:// scheme", `write it in full, for example https://${text.replace(/^[a-z]+:\/\//i, "")}`);
  }
  if (url.username || url.password) throw new InputProblem("holds credentials", "remove them from the URL; Keybridge logs in with the job's OIDC token");
  if (url.search || url.hash) throw new InputProblem("has a query or fragment", "give only the scheme, host, port and an optional path prefix");
  return url;
});

const authMountPath = parsedAs((text) => {
  // "auth/jwt/login" is the login URL, not the mount: the commonest mistake with this input.
  const looksLikeUrl = /^\/?auth\//.test(text) || /\/login\/?$/.test(text);
  if (/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(text) && !text.split("/").includes("..") && !looksLikeUrl) return text;
  throw new InputProblem("is not an auth mount path", "give the mount the JWT method is enabled at, for example jwt or github-actions (not auth/jwt/login)");
});

const secretsSpec = parsedAs((text) => parseSecretsSpec(text));

const encodings = parsedAs((text) => {
  const names = text.split(/[\s,]+/).filter((name) => name !== "");
  for (const name of names) {
    if (!(maskEncodings as readonly string[]).includes(name)) {
      throw new InputProblem(`names an unknown encoding "${name}"`, `use a comma-separated list of ${maskEncodings.join(", ")}`);
    }
  }
  return [...new Set(names)] as MaskEncoding[];
});

const exportFileName = parsedAs((text) => {
  if (text === "") return undefined;
  if (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(text)) return text;
  throw new InputProblem("is not a plain file name", "give a name such as ci.env or secrets.json; the file is always created under $RUNNER_TEMP, never in the workspace");
});

const allowNames = parsedAs((text) => {
  const names = parseAllowNames(text);
  const bad = [...names].find((name) => !isPortableName(name));
  if (bad !== undefined) throw new InputProblem(`lists "${bad}", which is not a variable name`, `list names of ${portableNameRule}, for example allow-names: JAVA_TOOL_OPTIONS`);
  return names;
});

const rawSchema = z.object({
  mode: oneOf(["fetch", "plan"]),
  backend: oneOf(["vault", "openbao", "infisical"]),
  url: httpUrl,
  namespace: optionalText,
  method: oneOf(["jwt", "token"]),
  token: optionalText,
  path: authMountPath,
  role: optionalText,
  audience: optionalText,
  secrets: secretsSpec,
  "identity-id": optionalText,
  project: optionalText,
  environment: optionalText,
  recursive: boolean,
  "include-imports": boolean,
  "expand-references": boolean,
  "export-env": boolean,
  "export-outputs": boolean,
  "export-file": exportFileName,
  "export-file-format": oneOf(["auto", "dotenv", "json"]),
  "mask-encodings": encodings,
  "ca-certificate": optionalText,
  timeout: integer(1, 3600),
  retries: integer(0, 20),
  revoke: boolean,
  "ignore-not-found": boolean,
  "rotation-check": oneOf(["warn", "fail", "off"]),
  "allow-names": allowNames,
});

function conflict(message: string): KeybridgeError {
  return new KeybridgeError("KB_INPUT_INVALID", message);
}

/** Parses and cross-checks every input; throws a one-line KeybridgeError for the first problem. */
export function readFetchInputs(): FetchInputs {
  const input = readInputs(rawSchema, inputNames, secretInputs);

  if (input.method === "token" && !input.token) {
    throw conflict("Input token is empty while method is token: give a Vault token (for local use), or use method: jwt in CI");
  }
  if (input.method === "jwt" && input.token) {
    throw conflict("Inputs token and method: jwt conflict: in CI the Action logs in with the job's OIDC token; remove token, or set method: token");
  }
  if (input["export-file-format"] !== "auto" && !input["export-file"]) {
    throw conflict(`Input export-file-format is "${input["export-file-format"]}" but export-file is empty: name the file, for example export-file: secrets.env`);
  }
  if (!input["export-env"] && !input["export-outputs"] && !input["export-file"]) {
    throw conflict("Inputs export-env and export-outputs are false and export-file is empty: nothing would receive the secrets; enable one of them");
  }

  const infisical = input.backend === "infisical";
  const misplaced = (infisical ? [["role", input.role], ["namespace", input.namespace]] : [["identity-id", input["identity-id"]], ["project", input.project], ["environment", input.environment]])
    .find(([, value]) => value !== undefined);
  if (misplaced) {
    throw conflict(`Input ${misplaced[0]} does not apply to backend ${input.backend}: remove it${infisical ? " (Infisical uses identity-id, project and environment)" : " (those inputs are for backend: infisical)"}`);
  }
  if (infisical) {
    const missing = [["project", input.project], ["environment", input.environment], ...(input.method === "jwt" ? [["identity-id", input["identity-id"]]] : [])]
      .filter(([, value]) => value === undefined).map(([name]) => name);
    if (missing.length > 0) {
      throw conflict(`Input${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} empty while backend is infisical: give the machine identity's id, the project (slug or id) and the environment slug`);
    }
  }

  const fileName = input["export-file"];
  const format = input["export-file-format"] === "auto" ? (fileName?.endsWith(".json") ? "json" : "dotenv") : input["export-file-format"];
  return {
    backend: input.backend,
    url: input.url,
    namespace: input.namespace,
    method: input.method,
    token: input.token,
    authPath: input.path,
    role: input.role,
    audience: input.audience,
    secrets: input.secrets,
    exportEnv: input["export-env"],
    exportOutputs: input["export-outputs"],
    exportFile: fileName ? { name: fileName, format } : undefined,
    maskEncodings: input["mask-encodings"],
    caCertificate: input["ca-certificate"],
    timeoutMs: input.timeout * 1000,
    retries: input.retries,
    revoke: input.revoke,
    ignoreNotFound: input["ignore-not-found"],
    infisical: infisical
      ? {
        identityId: input["identity-id"],
        project: input.project!,
        environment: input.environment!,
        recursive: input.recursive,
        includeImports: input["include-imports"],
        expandReferences: input["expand-references"],
      }
      : undefined,
    rotationCheck: input["rotation-check"],
    allowNames: input["allow-names"],
  };
}
