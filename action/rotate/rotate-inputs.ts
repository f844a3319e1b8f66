// The inputs of rotate mode: the policy document, dry-run or rollback, and the connection and
// login of fetch mode (url, namespace, method, role, path, audience, token …), parsed by the same
// parsers and the same choice of auth method.
import * as z from "zod/mini";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import type { AuthSettings } from "../../client/auth/methods.ts";
import { loginTarget } from "../../client/auth/methods.ts";
import { boolean, integer, oneOf, optionalText, parseInputs, readRawInputs } from "../input-parsers.ts";
import { inputTable, secretInputNames } from "../input-table.ts";
import { StepInputs, vocabularyOf } from "../input-vocabulary.ts";
import { chooseAuth } from "../auth-inputs.ts";
import { authMountPath, httpUrl } from "../inputs.ts";

export interface RotateInputs {
  readonly backend: "vault" | "openbao";
  readonly url: URL;
  readonly namespace: string | undefined;
  readonly auth: AuthSettings;
  readonly authPath: string;
  readonly role: string | undefined;
  readonly caCertificate: string | undefined;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly policy: string;
  readonly dryRun: boolean;
  readonly rollback: string | undefined;
}

const schema = z.object({
  backend: oneOf(["vault", "openbao"]),
  url: httpUrl,
  namespace: optionalText,
  path: authMountPath,
  role: optionalText,
  audience: optionalText,
  "ca-certificate": optionalText,
  timeout: integer(1, 3600),
  retries: integer(0, 20),
  policy: optionalText,
  "dry-run": boolean,
  rollback: optionalText,
});

export function readRotateInputs(): RotateInputs {
  const step = new StepInputs(readRawInputs(inputTable.filter((spec) => spec.mode !== "plan").map((spec) => spec.name)));
  if (step.value("backend") === "infisical") {
    throw new KeybridgeError("KB_ROTATE_UNSUPPORTED", "Input backend: infisical has no check-and-set write, so rotate mode rotates Vault and OpenBao KV v2 secrets only; rotate Infisical secrets with Infisical's secret rotations");
  }
  const raw = Object.fromEntries(Object.keys(schema.shape).map((name) => [name, step.spelled(name).value]));
  if (raw.backend === "") raw.backend = "vault";
  const input = parseInputs(schema, raw, secretInputNames);
  const { auth } = chooseAuth(step, false, vocabularyOf(step), input.audience);
  return {
    backend: input.backend,
    url: input.url,
    namespace: input.namespace,
    auth,
    authPath: loginTarget(auth).authPath ?? "jwt",
    role: input.role,
    caCertificate: input["ca-certificate"],
    timeoutMs: input.timeout * 1000,
    retries: input.retries,
    policy: input.policy ?? "keybridge.policy.json",
    dryRun: input["dry-run"],
    rollback: input.rollback,
  };
}
