// The Action's inputs, validated with zod before anything is sent anywhere. A bad input stops the
// step with one line that names the input, the bad value (never a secret) and the fix.
import * as z from "zod/mini";
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";
import { boolean, integer, InputProblem, oneOf, optionalText, parsedAs, parseInputs, readRawInputs } from "./input-parsers.ts";
import { inputTable, secretInputNames } from "./input-table.ts";
import { StepInputs, vocabularyOf, type Vocabulary } from "./input-vocabulary.ts";
import { chooseAuth } from "./auth-inputs.ts";
import { parseHeaderLines, type TlsOptions } from "./tls-and-headers.ts";
import { loginTarget, type AuthSettings } from "../client/auth/methods.ts";
import { parseSecretsSpec, type SecretRequest } from "../client/secrets-spec.ts";
import { parsePkiSpec, type PkiRequest } from "../client/pki-spec.ts";
import { maskEncodings, type MaskEncoding } from "./masking.ts";
import type { InfisicalScope } from "../client/backends/infisical.ts";
import { isPortableName, parseAllowNames, portableNameRule } from "../client/name-policy.ts";


export interface ExportFile {
  /** A plain file name; the file is always created in a private directory under $RUNNER_TEMP. */
  readonly name: string;
  readonly format: "dotenv" | "json";
}

export interface FetchInputs {
  readonly backend: "vault" | "openbao" | "infisical";
  readonly url: URL;
  readonly namespace: string | undefined;
  /** The method's name as the log shows it (jwt, approle, universal, or a custom mount's method). */
  readonly method: string;
  readonly authPath: string;
  readonly auth: AuthSettings;
  /** Which action the step was written for: its defaults apply. */
  readonly vocabulary: Vocabulary;
  /** Lines for the log: what was inferred from the inputs. */
  readonly notes: readonly string[];
  readonly role: string | undefined;
  readonly audience: string | undefined;
  readonly secrets: readonly SecretRequest[];
  /** vault-action's pki: certificates to issue instead of secrets to read. */
  readonly pki: readonly PkiRequest[];
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
  /** vault-action's exportToken (env VAULT_TOKEN) and outputToken (output vault_token). */
  readonly exportToken: boolean;
  readonly outputToken: boolean;
  /** vault-action's secretEncodingType: every value is decoded before it is masked and exported. */
  readonly secretEncoding: "base64" | "hex" | "utf8" | undefined;
  readonly tls: TlsOptions;
  /** Sent with every request to the backend. */
  readonly extraHeaders: Readonly<Record<string, string>>;
  /** Infisical's export-type file: the path inside the workspace to write KEY='value' lines to. */
  readonly workspaceFile: string | undefined;
}

export const httpUrl = parsedAs((text) => {
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

export const authMountPath = parsedAs((text) => {
  if (text === "") return "";
  // "auth/jwt/login" is the login URL, not the mount: the commonest mistake with this input.
  const looksLikeUrl = /^\/?auth\//.test(text) || /\/login\/?$/.test(text);
  if (/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(text) && !text.split("/").includes("..") && !looksLikeUrl) return text;
  throw new InputProblem("is not an auth mount path", "give the mount the auth method is enabled at, for example jwt or github-actions (not auth/jwt/login)");
});

/** Empty only for a step that issues certificates (pki); readFetchInputs refuses it otherwise. */
const secretsSpec = parsedAs((text) => (text.trim() === "" ? [] : parseSecretsSpec(text)));

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

const workspacePath = parsedAs((text) => {
  if (text.startsWith("/") && !text.split("/").includes("..") && !text.endsWith("/")) return text;
  throw new InputProblem("is not a file path inside the workspace", "write it from the workspace's root with a leading slash, for example /.env");
});

const encodingType = parsedAs((text) => {
  if (text === "" || text === "base64" || text === "hex" || text === "utf8") return text;
  throw new InputProblem("is not an encoding", "use base64, hex or utf8, or leave it empty");
});

const rawSchema = z.object({
  mode: oneOf(["fetch", "plan", "rotate"]),
  backend: oneOf(["vault", "openbao", "infisical"]),
  url: httpUrl,
  namespace: optionalText,
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
  "export-type": oneOf(["env", "file"]),
  "file-output-path": workspacePath,
  "mask-encodings": encodings,
  "ca-certificate": optionalText,
  timeout: integer(1, 3600),
  retries: integer(0, 20),
  revoke: boolean,
  "ignore-not-found": boolean,
  "rotation-check": oneOf(["warn", "fail", "off"]),
  "allow-names": allowNames,
  exportToken: boolean,
  outputToken: boolean,
  tlsSkipVerify: boolean,
  secretEncodingType: encodingType,
});

function conflict(message: string): KeybridgeError {
  return new KeybridgeError("KB_INPUT_INVALID", message);
}

const fetchInputNames = inputTable.filter((spec) => spec.mode === undefined).map((spec) => spec.name);
const infisicalInputs = ["domain", "project-slug", "env-slug", "client-id", "client-secret", "secret-path", "export-type", "file-output-path", "oidc-audience", "identity-id"];

function inferBackend(step: StepInputs, vocabulary: Vocabulary): string {
  if (step.given("backend")) return step.value("backend");
  return vocabulary === "infisical" || infisicalInputs.some((name) => step.given(name)) ? "infisical" : "vault";
}

/**
 * One text per key of rawSchema: each Keybridge input under whichever spelling was used, and the
 * defaults that depend on the step's vocabulary. `shownAs` names the spelling the user wrote.
 */
function canonicalInputs(step: StepInputs, vocabulary: Vocabulary, backend: string): { raw: Record<string, string>; shownAs: Map<string, string> } {
  const raw: Record<string, string> = {};
  const shownAs = new Map<string, string>();
  for (const name of Object.keys(rawSchema.shape)) {
    const { value, name: used } = step.spelled(name);
    raw[name] = value;
    shownAs.set(name, used);
  }
  raw.backend = backend;
  if (raw.url === "" && backend === "infisical") raw.url = "https://app.infisical.com";
  if (raw["export-type"] === "") raw["export-type"] = "env";
  if (raw["export-env"] === "") raw["export-env"] = raw["export-type"] === "file" ? "false" : "true";
  if (raw["export-outputs"] === "") raw["export-outputs"] = vocabulary === "vault-action" ? "true" : "false";
  if (raw["ignore-not-found"] === "") raw["ignore-not-found"] = "false";
  if (raw.secrets === "" && backend === "infisical" && vocabulary === "infisical") {
    // Infisical/secrets-action reads every secret of one folder, names as stored.
    raw.secrets = `${step.value("secret-path").trim() || "/"} **`;
  } else if (step.given("secret-path")) {
    throw conflict("Inputs secrets and secret-path are both given: secret-path exports a whole folder when secrets is empty; keep one of them");
  }
  return { raw, shownAs };
}

function crossCheck(input: z.output<typeof rawSchema>, method: string): void {
  if (input["export-file-format"] !== "auto" && !input["export-file"]) {
    throw conflict(`Input export-file-format is "${input["export-file-format"]}" but export-file is empty: name the file, for example export-file: secrets.env`);
  }
  if (!input["export-env"] && !input["export-outputs"] && !input["export-file"] && input["export-type"] !== "file") {
    throw conflict("Inputs export-env and export-outputs are false and export-file is empty: nothing would receive the secrets; enable one of them");
  }
  const infisical = input.backend === "infisical";
  const misplaced = (infisical ? [["role", input.role], ["namespace", input.namespace]] : [["identity-id", input["identity-id"]], ["project", input.project], ["environment", input.environment]])
    .find(([, value]) => value !== undefined);
  if (misplaced) {
    throw conflict(`Input ${misplaced[0]} does not apply to backend ${input.backend}: remove it${infisical ? " (Infisical uses identity-id, project and environment)" : " (those inputs are for backend: infisical)"}`);
  }
  if (infisical) {
    const missing = [["project", input.project], ["environment", input.environment], ...(method === "oidc" || method === "kubernetes" ? [["identity-id", input["identity-id"]]] : [])]
      .filter(([, value]) => value === undefined).map(([name]) => name);
    if (missing.length > 0) {
      throw conflict(`Input${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} empty while backend is infisical: give the machine identity's id, the project (slug or id) and the environment slug`);
    }
  }
}

/** Which action the step was written for, read on its own: also when the inputs are invalid. */
export function fetchStepVocabulary(): Vocabulary {
  return vocabularyOf(new StepInputs(readRawInputs(fetchInputNames)));
}

/** Parses and cross-checks every input; throws a one-line KeybridgeError for the first problem. */
/**
 * vault-action's pki input, which replaces secrets: both given is vault-action's own refusal, and
 * only Vault has the PKI engine it speaks to.
 */
function pkiRequests(step: StepInputs, backend: string): PkiRequest[] {
  if (!step.given("pki")) return [];
  if (step.spelled("secrets").value.trim() !== "") {
    throw conflict("Inputs secrets and pki are both given: a step either issues certificates or reads secrets, as in vault-action; give each its own step");
  }
  if (backend === "infisical") throw conflict("Input pki issues certificates from a Vault PKI role and does not apply to backend infisical: remove it, or point the step at Vault");
  return parsePkiSpec(step.value("pki"));
}

export function readFetchInputs(): FetchInputs {
  const step = new StepInputs(readRawInputs(fetchInputNames));
  const vocabulary = vocabularyOf(step);
  const backend = inferBackend(step, vocabulary);
  const pki = pkiRequests(step, backend);
  const { raw, shownAs } = canonicalInputs(step, vocabulary, backend);
  const input = parseInputs(rawSchema, raw, secretInputNames, (name) => shownAs.get(name) ?? name);
  // An empty secrets input is refused with the secrets parser's own line, unless pki replaces it or
  // the step is vault-action's, which then only logs in (for exportToken or outputToken).
  const loginOnly = pki.length === 0 && input.secrets.length === 0;
  if (loginOnly && vocabulary !== "vault-action") parseSecretsSpec("");
  const infisical = input.backend === "infisical";
  const { auth, method, note } = chooseAuth(step, infisical, vocabulary, input.audience);
  crossCheck(input, method);
  const target = loginTarget(auth);

  const fileName = input["export-file"];
  const format = input["export-file-format"] === "auto" ? (fileName?.endsWith(".json") ? "json" : "dotenv") : input["export-file-format"];
  const clientCertificate = step.value("clientCertificate").trim() || undefined;
  const clientKey = step.value("clientKey").trim() || undefined;
  if ((clientCertificate === undefined) !== (clientKey === undefined)) {
    throw conflict(`Input ${clientCertificate ? "clientKey" : "clientCertificate"} is empty while ${clientCertificate ? "clientCertificate" : "clientKey"} is given: mutual TLS needs both, base64 of PEM`);
  }
  const notes = [
    ...(step.given("backend") || backend !== "infisical" ? [] : ["Input backend is empty: using infisical, inferred from the Infisical inputs"]),
    ...(note ? [note] : []),
    ...(loginOnly ? ["Input secrets is empty: logging in only, as vault-action does"] : []),
  ];
  return {
    backend: input.backend,
    url: input.url,
    namespace: input.namespace,
    method,
    authPath: target.authPath ?? "jwt",
    auth,
    vocabulary,
    notes,
    role: input.role,
    audience: input.audience,
    secrets: input.secrets,
    pki,
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
    exportToken: input.exportToken,
    outputToken: input.outputToken,
    secretEncoding: input.secretEncodingType === "" ? undefined : input.secretEncodingType,
    tls: { skipVerify: input.tlsSkipVerify, clientCertificate, clientKey },
    extraHeaders: parseHeaderLines(step.spelled("extra-headers").value),
    workspaceFile: input["export-type"] === "file" ? input["file-output-path"] : undefined,
  };
}
