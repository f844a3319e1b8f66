// Rotates every generated secret of a policy document that is due, one after the other; a secret
// that fails is reported and the others still rotate. Shared by `keybridge rotate` and the
// Action's rotate mode.
import type { PolicyDocument } from "../../policy/document.ts";
import { describeError, KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import type { HttpClient } from "../http/http-client.ts";
import { generatedSecrets } from "./generated-secrets.ts";
import { describeRotation } from "./outcome-lines.ts";
import { rotateSecret, type RotationOutcome } from "./rotate-secret.ts";
import { VaultKvStore } from "./vault-kv-store.ts";
import type { VersionedSecretStore } from "./versioned-store.ts";

export interface StoreConnection {
  readonly name: "Vault" | "OpenBao";
  readonly url: URL;
  readonly namespace: string | undefined;
  readonly token: string;
}

/** The store the document's backend keeps its secrets in; Infisical has no check-and-set write. */
export function rotationStore(http: HttpClient, document: PolicyDocument, connection: StoreConnection): VersionedSecretStore {
  if (document.backend.type !== "vault") {
    throw new KeybridgeError("KB_ROTATE_UNSUPPORTED", `the policy document's backend is ${document.backend.type}, whose API has no check-and-set write: Keybridge rotates generated secrets on Vault and OpenBao KV v2 only; rotate these in Infisical (secret rotations) instead`);
  }
  return new VaultKvStore(http, { ...connection, mount: document.backend.mount });
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
