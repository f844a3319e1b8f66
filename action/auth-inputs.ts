// The login a step asks for. `method` is shared by Keybridge (default jwt), vault-action (default
// token) and Infisical/secrets-action (default universal), so it declares no default in
// action.yml: when it is empty, the credentials given say which method is meant, and the log says
// what was inferred. Each method's credentials are checked here, before anything is sent.
import { Buffer } from "node:buffer";
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";
import type { AuthSettings } from "../client/auth/methods.ts";
import type { SigningKey } from "../client/auth/signed-jwt.ts";
import { defaultTokenPath } from "../client/auth/kubernetes.ts";
import type { StepInputs, Vocabulary } from "./input-vocabulary.ts";

export const vaultMethods = ["jwt", "token", "approle", "kubernetes", "userpass", "ldap", "github"] as const;
export const infisicalMethods = ["oidc", "universal", "aws-iam", "kubernetes", "token"] as const;

export interface ChosenAuth {
  readonly auth: AuthSettings;
  /** The method's name as the step gave it or it was inferred (jwt, approle, universal, cert …). */
  readonly method: string;
  /** A log line when the method was inferred. */
  readonly note: string | undefined;
}

function invalid(message: string): KeybridgeError {
  return new KeybridgeError("KB_INPUT_INVALID", message);
}

/** The credential inputs that name a method, in the order they are looked at. */
const vaultHints: ReadonlyArray<readonly [input: string, method: string]> = [
  ["token", "token"], ["roleId", "approle"], ["githubToken", "github"], ["jwtPrivateKey", "jwt"],
  ["username", "userpass"], ["kubernetesTokenPath", "kubernetes"], ["authPayload", "custom"],
];
const infisicalHints: ReadonlyArray<readonly [input: string, method: string]> = [
  ["client-id", "universal"], ["client-secret", "universal"], ["kubernetesTokenPath", "kubernetes"], ["identity-id", "oidc"], ["token", "token"],
];

function inferMethod(inputs: StepInputs, infisical: boolean, vocabulary: Vocabulary): { method: string; note: string } {
  const hints = infisical ? infisicalHints : vaultHints;
  const hint = hints.find(([input]) => inputs.given(input));
  if (hint) return { method: hint[1], note: `Input method is empty: using ${hint[1]}, inferred from the ${hint[0]} input` };
  if (infisical && vocabulary === "infisical") {
    return { method: "universal", note: "Input method is empty: using universal, Infisical/secrets-action's default" };
  }
  const method = infisical ? "oidc" : "jwt";
  return { method, note: `Input method is empty and no credential input is given: using ${method}, the job's GitHub OIDC token` };
}

function required(inputs: StepInputs, name: string, method: string, fix: string): string {
  const value = inputs.value(name).trim();
  if (value === "") throw invalid(`Input ${name} is empty while method is ${method}: ${fix}`);
  return value;
}

function signingKey(inputs: StepInputs): SigningKey | undefined {
  const encoded = inputs.value("jwtPrivateKey").trim();
  if (encoded === "") return undefined;
  const pem = encoded.includes("-----BEGIN") ? encoded : Buffer.from(encoded, "base64").toString("utf8");
  if (!pem.includes("-----BEGIN")) throw invalid("Input jwtPrivateKey (value hidden) is not base64 of a PEM private key: encode the PEM file with base64 -w0");
  const ttlText = inputs.value("jwtTtl").trim() || "3600";
  const ttlSeconds = Number(ttlText);
  if (!/^\d+$/.test(ttlText) || ttlSeconds < 1) throw invalid(`Input jwtTtl: "${ttlText}" is not a whole number of seconds; write for example 3600`);
  return { privateKeyPem: pem, passphrase: inputs.value("jwtKeyPassword") || undefined, ttlSeconds };
}

function customPayload(inputs: StepInputs, method: string): Record<string, unknown> {
  const text = inputs.value("authPayload").trim();
  if (text === "") {
    throw invalid(`Input method: "${method}" is not a built-in method (${vaultMethods.join(", ")}) and authPayload is empty: give the login's JSON body in authPayload, or use a built-in method`);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    payload = undefined;
  }
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) throw invalid("Input authPayload (value hidden) is not a JSON object: give the login's body, for example {\"name\": \"web\"}");
  return payload as Record<string, unknown>;
}

function vaultAuth(inputs: StepInputs, method: string, audience: string | undefined): AuthSettings {
  const path = inputs.value("path").trim().replace(/^\/+|\/+$/g, "") || method;
  const role = inputs.value("role").trim() || undefined;
  switch (method) {
    case "jwt": {
      const key = signingKey(inputs);
      return key ? { method: "signed-jwt", ...key, role, path } : { method: "github-oidc", role, path, audience };
    }
    case "token":
      return { method: "given-token", token: required(inputs, "token", method, "give a Vault token, or use method: jwt in CI") };
    case "approle":
      return { method, path, roleId: required(inputs, "roleId", method, "give the AppRole's role id"), secretId: inputs.value("secretId").trim() || undefined };
    case "kubernetes":
      return { method, path, role: required(inputs, "role", method, "give the Kubernetes auth role to log in with"), tokenPath: inputs.value("kubernetesTokenPath").trim() || defaultTokenPath };
    case "userpass":
    case "ldap":
      return {
        method, path,
        username: required(inputs, "username", method, "give the user to log in as"),
        password: { value: required(inputs, "password", method, "give the user's password from a secret") },
      };
    case "github":
      return { method, path, githubToken: { value: required(inputs, "githubToken", method, "give a GitHub token with read:org (Vault's GitHub auth method)") } };
    default:
      if (!/^[A-Za-z0-9_.-]+$/.test(method)) throw invalid(`Input method: "${method}" is not an auth method name; use one of ${vaultMethods.join(", ")}`);
      return { method: "auth-payload", name: method, path, payload: customPayload(inputs, method) };
  }
}

function infisicalAuth(inputs: StepInputs, method: string, audience: string | undefined): AuthSettings {
  switch (method) {
    case "oidc":
    case "jwt":
      required(inputs, "identity-id", method, "give the machine identity's id, whose OIDC auth is bound to this job");
      return { method: "github-oidc", audience };
    case "universal":
      return {
        method: "infisical-universal",
        clientId: required(inputs, "client-id", method, "give the machine identity's universal auth client id"),
        clientSecret: { value: required(inputs, "client-secret", method, "give the machine identity's client secret from a secret") },
      };
    case "kubernetes":
      // The identity's Kubernetes auth checks the pod's service-account token (a TokenReview).
      return {
        method,
        identityId: required(inputs, "identity-id", method, "give the machine identity whose Kubernetes auth admits this pod's service account"),
        tokenPath: inputs.value("kubernetesTokenPath").trim() || defaultTokenPath,
      };
    case "token":
      return { method: "given-token", token: required(inputs, "token", method, "give an Infisical access token") };
    case "aws-iam":
      if (inputs.value("identity-id").trim() === "") {
        throw invalid("Missing identity ID for AWS IAM auth: input identity-id is empty while method is aws-iam; give the machine identity's id, whose AWS auth admits this runner's AWS principal");
      }
      return { method: "infisical-aws-iam" };
    default:
      throw invalid(`Input method: "${method}" is not an Infisical auth method; use one of ${infisicalMethods.join(", ")}`);
  }
}

/** The login the inputs ask for; `audience` is already resolved from its spellings. */
export function chooseAuth(inputs: StepInputs, infisical: boolean, vocabulary: Vocabulary, audience: string | undefined): ChosenAuth {
  const given = inputs.value("method").trim().toLowerCase();
  const inferred = given === "" ? inferMethod(inputs, infisical, vocabulary) : undefined;
  const method = inferred?.method ?? given;
  if (method === "custom" && given === "") {
    throw invalid("Input authPayload is given but method is empty: name the auth method the payload is for, for example method: cert");
  }
  if (method === "jwt" && !infisical && inputs.given("token")) {
    throw invalid("Inputs token and method: jwt conflict: in CI the Action logs in with the job's OIDC token; remove token, or set method: token");
  }
  const auth = infisical ? infisicalAuth(inputs, method, audience) : vaultAuth(inputs, method, audience);
  return { auth, method: method === "jwt" && infisical ? "oidc" : method, note: inferred?.note };
}
