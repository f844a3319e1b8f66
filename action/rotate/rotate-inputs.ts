// The inputs of rotate mode: the policy document, dry-run or rollback, and the connection and
// login of fetch mode (url, namespace, method, role, path, audience, token; on Infisical
// identity-id, client-id, client-secret …), parsed by the same parsers and the same choice of
// auth method.
import * as z from "zod/mini";
import type { AuthSettings } from "../../client/auth/methods.ts";
import { loginTarget } from "../../client/auth/methods.ts";
import { boolean, integer, oneOf, optionalText, parseInputs, readRawInputs } from "../input-parsers.ts";
import { inputTable, secretInputNames } from "../input-table.ts";
import { StepInputs, vocabularyOf } from "../input-vocabulary.ts";
import { chooseAuth } from "../auth-inputs.ts";
import { authMountPath, httpUrl } from "../inputs.ts";

export interface RotateInputs {
  readonly backend: "vault" | "openbao" | "infisical";
  readonly url: URL;
  readonly namespace: string | undefined;
  readonly auth: AuthSettings;
  readonly authPath: string;
  readonly role: string | undefined;
  /** Infisical: the machine identity whose OIDC auth is bound to this job. */
  readonly identityId: string | undefined;
  readonly caCertificate: string | undefined;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly policy: string;
  readonly dryRun: boolean;
  readonly rollback: string | undefined;
}

const schema = z.object({
  backend: oneOf(["vault", "openbao", "infisical"]),
  url: httpUrl,
  namespace: optionalText,
  path: authMountPath,
  role: optionalText,
  "identity-id": optionalText,
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
  const raw = Object.fromEntries(Object.keys(schema.shape).map((name) => [name, step.spelled(name).value]));
  if (raw.backend === "") raw.backend = "vault";
  if (raw.url === "" && raw.backend === "infisical") raw.url = "https://app.infisical.com";
  const input = parseInputs(schema, raw, secretInputNames);
  const { auth } = chooseAuth(step, input.backend === "infisical", vocabularyOf(step), input.audience);
  return {
    backend: input.backend,
    url: input.url,
    namespace: input.namespace,
    auth,
    authPath: loginTarget(auth).authPath ?? "jwt",
    role: input.role,
    identityId: input["identity-id"],
    caCertificate: input["ca-certificate"],
    timeoutMs: input.timeout * 1000,
    retries: input.retries,
    policy: input.policy ?? "keybridge.policy.json",
    dryRun: input["dry-run"],
    rollback: input.rollback,
  };
}
