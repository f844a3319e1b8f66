// Rotates every generated secret of a policy document that is due, one after the other; a secret
// that fails is reported and the others still rotate. Shared by `keybridge rotate` and the
// Action's rotate mode.
import type { PolicyDocument } from "../../policy/document.ts";
import { describeError, KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import type { HttpClient } from "../http/http-client.ts";
import { generatedSecrets } from "./generated-secrets.ts";
import { describeRotation } from "./outcome-lines.ts";
import { rotateSecret, type RotationOutcome } from "./rotate-secret.ts";
import { InfisicalSecretStore } from "./infisical-store.ts";
import { VaultKvStore } from "./vault-kv-store.ts";
import type { VersionedSecretStore } from "./versioned-store.ts";

export type StoreConnection =
  | { readonly name: "Vault" | "OpenBao"; readonly url: URL; readonly namespace: string | undefined; readonly token: string }
  | { readonly name: "Infisical"; readonly url: URL; readonly token: string };

/** The store the document's backend keeps its secrets in, reached through the connection given. */
export function rotationStore(http: HttpClient, document: PolicyDocument, connection: StoreConnection): VersionedSecretStore {
  const { backend } = document;
  if (backend.type === "infisical" && connection.name === "Infisical") return new InfisicalSecretStore(http, connection);
  if (backend.type === "vault" && connection.name !== "Infisical") return new VaultKvStore(http, { ...connection, mount: backend.mount });
  throw new KeybridgeError("KB_ROTATE_UNSUPPORTED", `the policy document's backend is ${backend.type}, but the connection is to ${connection.name}: rotate with the backend the document was synthesized for (${backend.type === "infisical" ? "--backend infisical" : "--backend vault or openbao"})`);
}

export interface DocumentRotation {
  readonly outcomes: readonly RotationOutcome[];
  /** One line per secret that could not be rotated (its error, never a value). */
  readonly failures: readonly string[];
}

export async function rotateDocument(store: VersionedSecretStore, document: PolicyDocument, options: { readonly dryRun: boolean; readonly log: (line: string) => void }): Promise<DocumentRotation> {
  const outcomes: RotationOutcome[] = [];
  const failures: string[] = [];
  for (const { secret, rule } of generatedSecrets(document)) {
    try {
      const outcome = await rotateSecret(store, secret, rule, { dryRun: options.dryRun });
      outcomes.push(outcome);
      options.log(describeRotation(outcome));
    } catch (error) {
      const line = `failed ${secret.path}: ${describeError(error)}`;
      failures.push(line);
      options.log(line);
    }
  }
  return { outcomes, failures };
}
