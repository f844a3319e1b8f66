// What one way of logging in is: what it adds to the backend target (its auth mount, role or
// identity), and how it obtains a session. One file per method exports these as plain functions
// (the Action imports only the login it uses); methods.ts lists the files, so adding a method is
// adding a file and one line there.
import { existsSync, readFileSync } from "node:fs";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import type { SecretsBackend, Session } from "../backends/backend.ts";
import type { BackendTarget } from "../backends/create-backend.ts";
import type { HttpClient } from "../http/http-client.ts";

export type Env = Readonly<Record<string, string | undefined>>;

export interface LoginContext {
  readonly http: HttpClient;
  readonly env: Env;
  /** Told every credential as soon as it is obtained, before it is sent (the Action masks it). */
  readonly onCredential?: (value: string) => void;
  /** Told what the method is about to do, where that is worth a log line. */
  readonly log?: (line: string) => void;
}

/** The part of a backend target a login decides. */
export type LoginTarget = Pick<BackendTarget, "authPath" | "role"> & { readonly identityId?: string | undefined };

/** The shape of an auth method's file. */
export interface AuthMethod<Settings> {
  /** What the method adds to the backend target; absent when it has no mount, role or identity. */
  readonly target?: (settings: Settings) => LoginTarget;
  readonly login: (backend: SecretsBackend, settings: Settings, context: LoginContext) => Promise<Session>;
}

/** A credential kept in a file (a projected token, a secret id): trimmed, never empty. */
export function readCredentialFile(what: string, file: string): string {
  if (!existsSync(file)) throw new KeybridgeError("KB_INPUT_INVALID", `${what} file ${file} does not exist`);
  const text = readFileSync(file, "utf8").trim();
  if (text === "") throw new KeybridgeError("KB_INPUT_INVALID", `${what} file ${file} is empty`);
  return text;
}
