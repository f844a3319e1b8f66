// vault-action's and Infisical/secrets-action's inputs, read as those actions read them: the
// method inferred from the credentials (and said in the log), the defaults of the step's
// vocabulary, each input's second spelling, and one-line errors that name both spellings.
import { afterEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFetchInputs } from "../../action/inputs.ts";
import { failsWith, setInputs } from "./input-steps.ts";
import { describeError } from "../../policy/errors/keybridge-error.ts";

function read(inputs: Record<string, string>) {
  setInputs(inputs);
  return readFetchInputs();
}

afterEach(() => setInputs({}));

const vault = { url: "https://vault.internal:8200", secrets: "secret/data/ci/aws accessKey | AWS_ACCESS_KEY_ID" };
const infisical = { domain: "https://infisical.internal", "project-slug": "shop", "env-slug": "prod" };

describe("vault-action's inputs", () => {
  it("infers the method from the credentials given, and says so", () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ token: "hvs.x" }, "token"],
      [{ roleId: "r", secretId: "s" }, "approle"],
      [{ githubToken: "ghp_x" }, "github"],
      [{ username: "u", password: "p" }, "userpass"],
      [{ kubernetesTokenPath: "/var/run/secrets/kubernetes.io/serviceaccount/token", role: "app" }, "kubernetes"],
      [{ jwtPrivateKey: Buffer.from("-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----").toString("base64") }, "jwt"],
    ];
    for (const [credentials, method] of cases) {
      const inputs = read({ ...vault, ...credentials });
      assert.equal(inputs.method, method);
      assert.equal(inputs.authPath, method === "token" ? "jwt" : method, "the mount defaults to the method's name, as vault-action's path");
      assert.match(inputs.notes.join("\n"), new RegExp(`using ${method}, inferred from the ${Object.keys(credentials)[0]} input`));
    }
  });

  it("keeps Keybridge's jwt when no method and no credential is given", () => {
    const inputs = read(vault);
    assert.equal(inputs.method, "jwt");
    assert.equal(inputs.vocabulary, "keybridge");
    assert.equal(inputs.exportOutputs, false);
  });

  it("sets one output per secret for a vault-action step, always", () => {
    assert.equal(read({ ...vault, method: "approle", roleId: "r" }).exportOutputs, true);
    assert.equal(read({ ...vault, token: "hvs.x" }).exportOutputs, true);
    assert.equal(read({ ...vault, method: "jwt", role: "ci" }).exportOutputs, true, "a step of shared inputs that names a method is vault-action's");
  });

  it("reads exportEnv, exportToken, outputToken, ignoreNotFound, secretEncodingType, jwtGithubAudience", () => {
    const inputs = read({ ...vault, token: "hvs.x", exportEnv: "false", exportToken: "true", outputToken: "true", ignoreNotFound: "true", secretEncodingType: "base64" });
    assert.equal(inputs.exportEnv, false);
    assert.equal(inputs.exportOutputs, true);
    assert.equal(inputs.exportToken, true);
    assert.equal(inputs.outputToken, true);
    assert.equal(inputs.ignoreNotFound, true);
    assert.equal(inputs.secretEncoding, "base64");
    assert.equal(read({ ...vault, method: "jwt", jwtGithubAudience: "sigstore" }).audience, "sigstore");
  });

  it("reads caCertificate, clientCertificate/clientKey, tlsSkipVerify and extraHeaders", () => {
    const inputs = read({ ...vault, token: "hvs.x", caCertificate: "Y2E=", clientCertificate: "Y2VydA==", clientKey: "a2V5", tlsSkipVerify: "true", extraHeaders: "X-A: 1\nx-a: 2\nX-B: three" });
    assert.equal(inputs.caCertificate, "Y2E=");
    assert.deepEqual(inputs.tls, { skipVerify: true, clientCertificate: "Y2VydA==", clientKey: "a2V5" });
    assert.deepEqual(inputs.extraHeaders, { "x-a": "1, 2", "x-b": "three" }, "names lower-cased, repeats joined, as vault-action does");
  });

  it("takes any other method with authPayload, posted to auth/<path or method>/login", () => {
    const inputs = read({ ...vault, method: "cert", authPayload: '{"name": "web"}' });
    assert.deepEqual(inputs.auth, { method: "auth-payload", name: "cert", path: "cert", payload: { name: "web" } });
    assert.equal(inputs.method, "cert");
    assert.equal(inputs.authPath, "cert");
  });

  it("lower-cases the method, as vault-action does", () => assert.equal(read({ ...vault, method: "AppRole", roleId: "r" }).method, "approle"));

  it("fails when a spelling of an input disagrees with Keybridge's", () => {
    failsWith({ ...vault, token: "hvs.x", exportEnv: "false", "export-env": "true" }, /^Inputs export-env \("true"\) and exportEnv \("false"\) are two spellings of one input and disagree/);
    failsWith({ ...vault, method: "jwt", audience: "a", jwtGithubAudience: "b" }, /audience .*jwtGithubAudience .*disagree/);
    failsWith({ ...vault, token: "hvs.x", "ca-certificate": "x", caCertificate: "y" }, /ca-certificate .*caCertificate .*disagree/);
  });

  it("accepts two spellings that agree", () => assert.equal(read({ ...vault, token: "hvs.x", exportEnv: "false", "export-env": "false", "export-outputs": "true" }).exportEnv, false));

  it("fails when a method's credential is missing, naming it", () => {
    failsWith({ ...vault, method: "approle" }, /^Input roleId is empty while method is approle/);
    failsWith({ ...vault, method: "kubernetes" }, /^Input role is empty while method is kubernetes/);
    failsWith({ ...vault, method: "userpass", username: "u" }, /^Input password is empty while method is userpass/);
    failsWith({ ...vault, method: "github" }, /^Input githubToken is empty while method is github/);
    failsWith({ ...vault, method: "radius" }, /"radius" is not a built-in method .*authPayload is empty/);
  });

  it("fails on a bad secretEncodingType or authPayload without echoing the payload", () => {
    failsWith({ ...vault, token: "hvs.x", secretEncodingType: "rot13" }, /^Input secretEncodingType: "rot13" is not an encoding/);
    failsWith({ ...vault, method: "cert", authPayload: "not-json-SECRETPAYLOAD" }, /authPayload \(value hidden\) is not a JSON object/, "SECRETPAYLOAD");
  });

  it("fails when only one of clientCertificate and clientKey is given", () => failsWith({ ...vault, token: "hvs.x", clientCertificate: "Y2VydA==" }, /clientKey is empty while clientCertificate is given/));
  it("reads pki as vault-action does: requests split by ;, JSON parameters that may span lines, names from the role", () => {
    const inputs = read({ url: vault.url, token: "hvs.x", pki: 'pki/issue/web-server {"common_name": "a.example.com",\n "ttl": "1h"};\nint-pki/issue/client {"common_name": "c"}' });
    assert.deepEqual(inputs.secrets, []);
    assert.deepEqual(inputs.pki.map(({ path, name, parameters }) => ({ path, name, parameters })), [
      { path: "pki/issue/web-server", name: "web-server", parameters: { common_name: "a.example.com", ttl: "1h" } },
      { path: "int-pki/issue/client", name: "client", parameters: { common_name: "c" } },
    ]);
  });

  it("logs in only when a vault-action step has no secrets (exportToken), and says so; Keybridge's own steps still need secrets", () => {
    const inputs = read({ url: vault.url, token: "hvs.x", exportToken: "true" });
    assert.deepEqual([inputs.secrets, inputs.pki, inputs.exportToken], [[], [], true]);
    assert.match(inputs.notes.join("\n"), /Input secrets is empty: logging in only, as vault-action does/);
    failsWith({ url: vault.url, "export-env": "true" }, /^Input secrets is empty/);
  });

  it("fails on a pki role whose name gives no variable name, naming it", () => {
    setInputs({ url: vault.url, token: "hvs.x", pki: 'pki/issue/1web {"common_name": "a"}' });
    assert.throws(readFetchInputs, (error: unknown) => {
      assert.match(describeError(error), /^KB_NAME_INVALID: Input pki, request 1 \(pki\/issue\/1web\): the role's name gives 1WEB_CERT, not a portable variable name/);
      return true;
    });
  });

  it("fails on pki with secrets (vault-action's refusal), without parameters, with bad JSON, or for Infisical", () => {
    failsWith({ ...vault, token: "hvs.x", pki: 'pki/issue/web {"common_name": "a"}' }, /^Inputs secrets and pki are both given/);
    failsWith({ url: vault.url, token: "hvs.x", pki: "pki/issue/web" }, /^Input pki, request 1 \(pki\/issue\/web\): has no path and parameters; write it as <path> <JSON>/);
    failsWith({ url: vault.url, token: "hvs.x", pki: "pki/issue/web {common_name: SECRETISH}" }, /^Input pki, request 1 \(pki\/issue\/web\): its parameters are not valid JSON/, "SECRETISH");
    failsWith({ ...infisical, "client-id": "cid", "client-secret": "cs", pki: 'pki/issue/web {"common_name": "a"}' }, /^Input pki issues certificates from a Vault PKI role and does not apply to backend infisical/);
  });
  it("keeps githubToken (Vault's GitHub login) apart from github-token (plan comments)", () => {
    const inputs = read({ ...vault, "github-token": "ghs_plan", method: "jwt" });
    assert.equal(inputs.method, "jwt");
  });
});

describe("Infisical/secrets-action's inputs", () => {
  it("infers backend infisical and universal auth from client-id, reading secret-path's every secret with names as stored", () => {
    const inputs = read({ ...infisical, "client-id": "cid", "client-secret": "cs" });
    assert.equal(inputs.backend, "infisical");
    assert.deepEqual(inputs.auth, { method: "infisical-universal", clientId: "cid", clientSecret: { value: "cs" } });
    assert.equal(inputs.method, "universal");
    assert.equal(inputs.url.href, "https://infisical.internal/");
    assert.deepEqual(inputs.infisical, { identityId: undefined, project: "shop", environment: "prod", recursive: false, includeImports: true, expandReferences: true });
    assert.deepEqual(inputs.secrets.map((request) => [request.path, request.selector]), [["/", { kind: "all", keepCase: true }]]);
    assert.equal(inputs.exportOutputs, false, "Infisical's action sets no outputs");
    assert.equal(inputs.exportEnv, true);
  });

  it("uses Infisical's default domain, https://app.infisical.com", () => {
    const { domain: _domain, ...withoutDomain } = infisical;
    assert.equal(read({ ...withoutDomain, "client-id": "cid", "client-secret": "cs" }).url.href, "https://app.infisical.com/");
  });

  it("infers oidc from identity-id, with oidc-audience", () => {
    const inputs = read({ ...infisical, "identity-id": "id-1", "oidc-audience": "infisical-ci", "secret-path": "/app" });
    assert.deepEqual(inputs.auth, { method: "github-oidc", audience: "infisical-ci" });
    assert.equal(inputs.method, "oidc");
    assert.equal(inputs.infisical?.identityId, "id-1");
    assert.equal(inputs.secrets[0]!.path, "app");
  });

  it("defaults to universal, Infisical's default, and says which credential is missing", () => failsWith(infisical, /^Input client-id is empty while method is universal/));

  it("export-type file writes file-output-path in the workspace instead of the environment", () => {
    const inputs = read({ ...infisical, "client-id": "cid", "client-secret": "cs", "export-type": "file", "file-output-path": "/config/.env" });
    assert.equal(inputs.exportEnv, false);
    assert.equal(inputs.workspaceFile, "/config/.env");
    assert.equal(read({ ...infisical, "client-id": "cid", "client-secret": "cs", "export-type": "file" }).workspaceFile, "/.env");
  });

  it("method aws-iam logs in with the identity's AWS auth; without identity-id it fails with secrets-action's message", () => {
    const inputs = read({ ...infisical, method: "aws-iam", "identity-id": "x" });
    assert.deepEqual(inputs.auth, { method: "infisical-aws-iam" });
    assert.equal(inputs.infisical?.identityId, "x");
    failsWith({ ...infisical, method: "aws-iam" }, /^Missing identity ID for AWS IAM auth: input identity-id is empty while method is aws-iam/);
  });

  it("fails on a file-output-path outside the workspace, an unknown export-type, and secrets with secret-path", () => {
    const base = { ...infisical, "client-id": "cid", "client-secret": "cs" };
    failsWith({ ...base, "export-type": "file", "file-output-path": "/../.env" }, /file-output-path: "\/\.\.\/\.env" is not a file path inside the workspace/);
    failsWith({ ...base, "export-type": "yaml" }, /^Input export-type: "yaml" is not supported; use one of env, file$/);
    failsWith({ ...base, secrets: "/app API_URL", "secret-path": "/app" }, /secrets and secret-path are both given/);
  });

  it("reads extra-headers like extraHeaders, and refuses a line that is not a header", () => {
    assert.deepEqual(read({ ...infisical, "client-id": "cid", "client-secret": "cs", "extra-headers": "X-Firewall: ci" }).extraHeaders, { "x-firewall": "ci" });
    failsWith({ ...infisical, "client-id": "cid", "client-secret": "cs", "extra-headers": "no colon here" }, /not `Name: value`/);
  });
});
