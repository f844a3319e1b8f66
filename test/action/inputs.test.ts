import { afterEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFetchInputs } from "../../action/inputs.ts";
import { failsWith, setInputs } from "./input-steps.ts";

const valid = { url: "https://vault.internal:8200", role: "ci", secrets: "secret/data/app password | DB_PASSWORD" };

afterEach(() => setInputs({}));

describe("Action inputs", () => {
  it("applies the defaults of action.yml to inputs left empty", () => {
    setInputs(valid);
    const inputs = readFetchInputs();
    assert.equal(inputs.backend, "vault");
    assert.equal(inputs.method, "jwt");
    assert.equal(inputs.authPath, "jwt");
    assert.equal(inputs.exportEnv, true);
    assert.equal(inputs.exportOutputs, false);
    assert.equal(inputs.exportFile, undefined);
    assert.equal(inputs.timeoutMs, 60_000);
    assert.equal(inputs.retries, 4);
    assert.equal(inputs.revoke, true);
    assert.equal(inputs.url.href, "https://vault.internal:8200/");
  });

  it("picks the export file format from the file name unless it is given", () => {
    setInputs({ ...valid, "export-file": "secrets.json" });
    assert.deepEqual(readFetchInputs().exportFile, { name: "secrets.json", format: "json" });
    setInputs({ ...valid, "export-file": "ci.env" });
    assert.deepEqual(readFetchInputs().exportFile, { name: "ci.env", format: "dotenv" });
    setInputs({ ...valid, "export-file": "out", "export-file-format": "json" });
    assert.deepEqual(readFetchInputs().exportFile, { name: "out", format: "json" });
  });

  it("fails when the backend is unknown", () => failsWith({ ...valid, backend: "consul" }, /^Input backend: "consul" is not supported; use one of vault, openbao, infisical$/));
  it("fails when the url has no scheme", () => failsWith({ ...valid, url: "vault.internal:8200" }, /^Input url: "vault\.internal:8200" has no http:\/\/ or https:\/\/ scheme; write it in full, for example https:\/\/vault\.internal:8200$/));
  it("fails when the url is missing", () => failsWith({ ...valid, url: "" }, /^Input url: "" is empty/));
  it("fails when the url holds credentials", () => failsWith({ ...valid, url: "https://u:p@vault" }, /holds credentials/));
  it("fails when a boolean is not true or false", () => failsWith({ ...valid, "export-env": "yes" }, /^Input export-env: "yes" is not a boolean; write true or false$/));
  it("fails when timeout is not a number", () => failsWith({ ...valid, timeout: "30s" }, /^Input timeout: "30s" is not a whole number from 1 to 3600/));
  it("fails when a secrets line is malformed", () => failsWith({ ...valid, secrets: "secret/data/app" }, /^Input secrets, line 1 \("secret\/data\/app"\): a selector is missing/));
  it("fails when the export file is a path", () => failsWith({ ...valid, "export-file": "../workspace/.env" }, /export-file: "\.\.\/workspace\/\.env" is not a plain file name; .*RUNNER_TEMP/));
  it("fails when a mask encoding is unknown", () => failsWith({ ...valid, "mask-encodings": "base64,rot13" }, /unknown encoding "rot13"/));
  it("fails when the auth path is a login URL", () => failsWith({ ...valid, path: "auth/jwt/login/" }, /^Input path: "auth\/jwt\/login\/" is not an auth mount path/));
  it("fails when method token has no token", () => failsWith({ ...valid, method: "token" }, /token is empty while method is token/));
  it("fails when a token is given with method jwt, without echoing it", () => {
    failsWith({ ...valid, method: "jwt", token: "hvs.SECRETTOKENVALUE" }, /token and method: jwt conflict/);
    setInputs({ ...valid, method: "jwt", token: "hvs.SECRETTOKENVALUE" });
    assert.throws(readFetchInputs, (error: Error) => !error.message.includes("SECRETTOKENVALUE"));
  });
  it("fails when nothing would receive the secrets", () => failsWith({ ...valid, "export-env": "false" }, /nothing would receive the secrets/));
  it("fails when a format is given without a file", () => failsWith({ ...valid, "export-file-format": "json" }, /export-file is empty/));
});

describe("Action inputs for Infisical", () => {
  const infisical = { url: "https://secrets.acme.internal", backend: "infisical", "identity-id": "7f0c", project: "ml-training", environment: "prod", secrets: "/database DB_PASSWORD" };

  it("reads the scope, with Infisical's defaults for imports and references", () => {
    setInputs(infisical);
    assert.deepEqual(readFetchInputs().infisical, {
      identityId: "7f0c", project: "ml-training", environment: "prod", recursive: false, includeImports: true, expandReferences: true,
    });
  });

  it("fails when the project or environment is missing", () =>
    failsWith({ ...infisical, project: "", environment: "" }, /^Inputs project, environment are empty while backend is infisical/));
  it("logs in with method kubernetes: the identity and the service-account token file, inferred from kubernetesTokenPath", () => {
    setInputs({ ...infisical, method: "kubernetes" });
    assert.deepEqual(readFetchInputs().auth, { method: "kubernetes", identityId: "7f0c", tokenPath: "/var/run/secrets/kubernetes.io/serviceaccount/token" });
    setInputs({ ...infisical, kubernetesTokenPath: "/run/token" });
    const inferred = readFetchInputs();
    assert.equal(inferred.method, "kubernetes");
    assert.deepEqual(inferred.auth, { method: "kubernetes", identityId: "7f0c", tokenPath: "/run/token" });
    assert.match(inferred.notes.join("\n"), /using kubernetes, inferred from the kubernetesTokenPath input/);
  });
  it("fails when method kubernetes has no identity-id", () =>
    failsWith({ ...infisical, method: "kubernetes", "identity-id": "" }, /^Input identity-id is empty while method is kubernetes: give the machine identity whose Kubernetes auth admits/));
  it("fails when a Vault input is given to Infisical", () => failsWith({ ...infisical, role: "ci" }, /^Input role does not apply to backend infisical/));
  it("fails when an Infisical input is given to Vault", () => failsWith({ ...valid, project: "x" }, /^Input project does not apply to backend vault/));
});
