// Rotate mode, for a scheduled workflow: log in as in fetch mode, then write a new version of each
// generated secret of the policy document that is due (or, with rollback, restore one secret's
// previous version). One log line per secret and a job summary table: paths and version numbers,
// never a value. The token is revoked before the step ends; the post step has nothing to do.
import { HttpClient } from "../../client/http/http-client.ts";
import { createBackend } from "../../client/backends/create-backend.ts";
import { logIn } from "../../client/auth/methods.ts";
import { oidcRequestFromEnv } from "../../client/oidc.ts";
import { readPolicyFile } from "../../client/policy-files.ts";
import { rotateDocument, rotationStore, type StoreConnection } from "../../client/rotation/rotate-document.ts";
import { rollbackSecret } from "../../client/rotation/rollback-secret.ts";
import { describeRollback } from "../../client/rotation/outcome-lines.ts";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import { escapeProse, inlineCode } from "../../policy/render/markdown-escape.ts";
import { addMask, info } from "../runner-protocol/workflow-commands.ts";
import { appendSummary } from "../runner-protocol/file-commands.ts";
import type { RotateInputs } from "./rotate-inputs.ts";

/** Each outcome line as a table row: the secret's path in code, what happened beside it. */
function summaryOf(title: string, lines: readonly string[]): string {
  const rows = lines.map((line) => {
    const match = /^(.*?) ([a-z0-9._-]+(?:\/[A-Za-z0-9._-]+)+)(.*)$/.exec(line);
    return match ? `| ${inlineCode(match[2]!)} | ${escapeProse(`${match[1]}${match[3]}`)} |` : `| | ${escapeProse(line)} |`;
  });
  return ["### Keybridge: " + title, "", "| Secret | Outcome |", "|---|---|", ...rows, ""].join("\n");
}

function connectionOf(inputs: RotateInputs, token: string): StoreConnection {
  if (inputs.backend === "infisical") return { name: "Infisical", url: inputs.url, token };
  return { name: inputs.backend === "openbao" ? "OpenBao" : "Vault", url: inputs.url, namespace: inputs.namespace, token };
}

export async function runRotate(inputs: RotateInputs): Promise<void> {
  if (inputs.auth.method === "github-oidc") oidcRequestFromEnv();
  const { document } = readPolicyFile("Input policy", inputs.policy);
  const http = new HttpClient({ timeoutMs: inputs.timeoutMs, retries: inputs.retries, caCertificate: inputs.caCertificate, log: info });
  const infisical = { identityId: inputs.identityId, project: "", environment: "", recursive: false, includeImports: false, expandReferences: false };
  const backend = createBackend(http, { backend: inputs.backend, url: inputs.url, namespace: inputs.namespace, authPath: inputs.authPath, role: inputs.role, infisical });
  const session = await logIn(backend, inputs.auth, { http, env: process.env, onCredential: addMask, log: info });
  addMask(session.token);
  const lines: string[] = [];
  const log = (line: string) => {
    lines.push(line);
    info(line);
  };
  try {
    const store = rotationStore(http, document, connectionOf(inputs, session.token));
    if (inputs.rollback !== undefined) {
      log(describeRollback(await rollbackSecret(store, inputs.rollback, { dryRun: inputs.dryRun })));
      appendSummary(summaryOf("rollback", lines));
      return;
    }
    const { outcomes, failures } = await rotateDocument(store, document, { dryRun: inputs.dryRun, log });
    if (outcomes.length + failures.length === 0) log(`no generated secrets in ${inputs.policy}: nothing to rotate`);
    appendSummary(summaryOf(inputs.dryRun ? "rotation (dry run)" : "rotation", lines));
    if (failures.length > 0) {
      throw new KeybridgeError("KB_ROTATE_FAILED", `${failures.length} of ${outcomes.length + failures.length} generated secrets could not be rotated:\n${failures.join("\n")}`);
    }
  } finally {
    if (session.owned) await backend.revoke(session.token).catch(() => undefined);
    await http.close();
  }
}
