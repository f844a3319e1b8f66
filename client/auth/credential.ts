// A credential a method needs, from where its user keeps it: given as it is (the Action's inputs),
// in a file, or in an environment variable (the CLI, the way the backends' own CLIs look).
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import { readCredentialFile, type Env } from "./auth-method.ts";

export interface CredentialSource {
  /** The value itself. */
  readonly value?: string | undefined;
  readonly file?: string | undefined;
  /** The environment variable holding it, when neither value nor file is given. */
  readonly env?: string | undefined;
}

/** The credential, never empty; `defaultEnv` is the variable looked at when the source names none. */
export function credential(what: string, source: CredentialSource, env: Env, defaultEnv: string): string {
  if (source.value) return source.value;
  if (source.file) return readCredentialFile(what, source.file);
  const variable = source.env ?? defaultEnv;
  const fromEnv = env[variable];
  if (!fromEnv) throw new KeybridgeError("KB_INPUT_INVALID", `no ${what}: set ${variable}, or give a file with it`);
  return fromEnv;
}
