import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { controlledBy, isAllowed, isPortableName, parseAllowNames, runsCode } from "../../client/name-policy.ts";
import { parseSecretsSpec } from "../../client/secrets-spec.ts";
import { selectSecrets } from "../../client/select-secrets.ts";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import type { SecretRead } from "../../client/backends/backend.ts";

function read(path: string, data: Record<string, unknown>): Map<string, SecretRead> {
  return new Map([[path, { path, data, lease: undefined, writtenAt: undefined, customMetadata: undefined }]]);
}

function select(spec: string, data: Record<string, unknown>, allow = "") {
  const warnings: string[] = [];
  const secrets = selectSecrets(parseSecretsSpec(spec), read("secret/data/app", data), {
    allowNames: parseAllowNames(allow), allowNamesHow: "the allow-names input", consequence: "nothing was exported", warn: (line) => warnings.push(line),
  });
  return { names: secrets.map((secret) => secret.envName), warnings };
}

function refused(spec: string, data: Record<string, unknown>, code: string, pattern: RegExp, allow = ""): void {
  assert.throws(() => select(spec, data, allow), (error: unknown) => {
    assert.ok(error instanceof KeybridgeError);
    assert.equal(error.code, code);
    assert.doesNotMatch(error.message, /[\r\n]/, "a refusal is one line");
    assert.match(error.message, pattern);
    return true;
  });
}

const attackKeys = ["bash_env", "path", "ld_preload", "node_options", "github_env", "runner_temp", "actions_id_token_request_url", "home", "git_ssh_command"];

describe("the names policy", () => {
  it("calls portable only [A-Za-z_][A-Za-z0-9_]*", () => {
    for (const name of ["A", "_x", "DB_PASSWORD", "a1"]) assert.ok(isPortableName(name), name);
    for (const name of ["", "1BAD", "DB-PASS", "DB<<X", "A=B", "CLÉ", "A B", "A\nB"]) assert.ok(!isPortableName(name), name);
  });

  it("knows the loader, shell, runner, Node, Python, Git, proxy and JVM variables, in any case", () => {
    for (const name of ["LD_PRELOAD", "ld_audit", "DYLD_INSERT_LIBRARIES", "BASH_ENV", "bash_func_x%%", "Path", "HOME", "IFS", "GITHUB_ENV", "runner_temp",
      "ACTIONS_ID_TOKEN_REQUEST_URL", "INPUT_TOKEN", "NODE_OPTIONS", "PYTHONSTARTUP", "GIT_SSH_COMMAND", "GIT_CONFIG_COUNT", "https_proxy", "NO_PROXY",
      "SSL_CERT_FILE", "PERL5OPT", "RUBYOPT", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS"]) {
      assert.ok(controlledBy(name), name);
    }
    for (const name of ["DB_PASSWORD", "TOKEN", "AWS_ACCESS_KEY_ID", "NPMJS_TOKEN", "PATHWAY", "HOMEPAGE", "GITHUB"]) assert.equal(controlledBy(name), undefined, name);
    assert.ok(runsCode("path") && runsCode("LD_PRELOAD") && runsCode("BASH_ENV") && runsCode("NODE_OPTIONS"));
    assert.ok(!runsCode("GITHUB_TOKEN") && !runsCode("HTTPS_PROXY"));
  });

  it("reads allow-names as a comma, space or line separated list, matched without case", () => {
    const allowed = parseAllowNames("PATH, java_tool_options\nHOME");
    assert.ok(isAllowed("path", allowed) && isAllowed("JAVA_TOOL_OPTIONS", allowed) && isAllowed("HOME", allowed));
    assert.ok(!isAllowed("LD_PRELOAD", allowed));
  });
});

describe("exported names", () => {
  it("fails when a * read would set execution-control variables, in one line naming each key, the path and allow-names", () => {
    const data = Object.fromEntries(attackKeys.map((key) => [key, "x"]));
    refused("secret/data/app *", data, "KB_NAME_RESERVED",
      /^Input secrets, line 1, secret\/data\/app \(a \* read\): key "bash_env" gives BASH_ENV \(read by shells\), key "path" gives PATH.*key "git_ssh_command" gives GIT_SSH_COMMAND.*nothing was exported.*list BASH_ENV, PATH, LD_PRELOAD, NODE_OPTIONS, GITHUB_ENV, RUNNER_TEMP, ACTIONS_ID_TOKEN_REQUEST_URL, HOME, GIT_SSH_COMMAND in the allow-names input/);
  });

  it("fails for one such key among ordinary ones, with ** (case kept) and behind a prefix", () => {
    refused("secret/data/app *", { password: "x", ld_preload: "/srv/attacker/x.so" }, "KB_NAME_RESERVED", /key "ld_preload" gives LD_PRELOAD/);
    refused("secret/data/app **", { path: "/srv/attacker/bin" }, "KB_NAME_RESERVED", /key "path" gives path \(read by shells\)/);
    refused("secret/data/app * | LD_", { preload: "/srv/attacker/x.so" }, "KB_NAME_RESERVED", /gives LD_PRELOAD/);
  });

  it("exports such a key when allow-names lists it, with a warning when it runs code", () => {
    const { names, warnings } = select("secret/data/app *", { java_tool_options: "-Xmx1g", path: "/opt/bin" }, "JAVA_TOOL_OPTIONS, path");
    assert.deepEqual(names, ["JAVA_TOOL_OPTIONS", "PATH"]);
    assert.equal(warnings.length, 2);
    assert.match(warnings[1]!, /line 1: exports PATH .*allow-names input lists it/);
  });

  it("exports names the workflow wrote, GITHUB_TOKEN and AWS keys silently, PATH with a warning", () => {
    const { names, warnings } = select(
      "secret/data/app gh | GITHUB_TOKEN\nsecret/data/app aws | AWS_ACCESS_KEY_ID\nsecret/data/app npm | NPMJS_TOKEN\nsecret/data/app bin | PATH",
      { gh: "g", aws: "a", npm: "n", bin: "/opt/bin" });
    assert.deepEqual(names, ["GITHUB_TOKEN", "AWS_ACCESS_KEY_ID", "NPMJS_TOKEN", "PATH"]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /^Input secrets, line 4: exports PATH \(read by shells\), which decides what later programs run; exported because the workflow names it/);
  });

  it("fails when a key gives a name that is not portable, naming the key", () => {
    refused("secret/data/app *", { "1st": "x", ok: "y" }, "KB_NAME_INVALID", /line 1, secret\/data\/app \(a \* read\): key "1st" gives 1ST: not a portable variable name.*nothing was exported; read such keys on lines of their own/);
    refused("secret/data/app clé", { "clé": "x" }, "KB_NAME_INVALID", /key "clé" gives CLÉ.*name it with \| NAME/);
    refused("secret/data/app **", { "9\nlives": "x" }, "KB_NAME_INVALID", /key "9␤lives" gives 9lives/);
  });

  it("refuses a NAME that is not portable where the secrets input is read, naming the line", () => {
    for (const name of ["1BAD", "DB-PASS", "DB<<X"]) {
      assert.throws(() => parseSecretsSpec(`secret/data/ok k\nsecret/data/app key | ${name}`), (error: unknown) => {
        assert.ok(error instanceof KeybridgeError);
        assert.match(error.message, new RegExp(`^Input secrets, line 2 .*"${name}" is not a variable name`));
        return true;
      });
    }
  });
});
