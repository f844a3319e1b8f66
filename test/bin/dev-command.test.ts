// `keybridge dev`'s flags as parseArgs reads them, with the command's own refusal lines.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseDevFlags } from "../../bin/dev-command.ts";
import { UsageError } from "../../bin/usage-error.ts";

function refusal(args: string[]): string {
  try {
    parseDevFlags(args);
  } catch (error) {
    assert.ok(error instanceof UsageError, String(error));
    return error.message;
  }
  assert.fail(`keybridge dev ${args.join(" ")} was accepted`);
}

describe("keybridge dev flags", () => {
  it("reads values inline or after the flag, the last one winning, and repeatable flags in order", () => {
    const flags = parseDevFlags(["--port=8200", "--port", "8201", "--json", "--job", "repository=acme/app", "--job", "ref=refs/heads/x", "--auth-mount", "oidc=oidc"]);
    assert.equal(flags.port, 8201);
    assert.equal(flags.json, true);
    assert.equal(flags.verbose, false);
    assert.equal(flags.job.repository, "acme/app");
    assert.equal(flags.job.ref, "refs/heads/x");
    assert.deepEqual(flags.authMounts.map((mount) => mount.path), ["oidc"]);
  });

  it("reads the TLS flags, and fails on --tls with given files, on --tls-client-ca without HTTPS, and on half a pair", async () => {
    assert.deepEqual(parseDevFlags(["--tls", "--tls-client-ca", "ca.pem"]).tls, { generate: true, certFile: undefined, keyFile: undefined, clientCaFile: "ca.pem" });
    assert.equal(refusal(["--tls", "--tls-cert", "c.pem"]), "--tls makes a certificate, --tls-cert/--tls-key bring one: keep one of them");
    assert.equal(refusal(["--tls-client-ca", "ca.pem"]), "--tls-client-ca needs HTTPS: add --tls, or --tls-cert and --tls-key");
    const { readTlsFiles } = await import("../../bin/dev/tls-files.ts");
    assert.throws(() => readTlsFiles({ generate: false, certFile: "c.pem", keyFile: undefined, clientCaFile: undefined }), /^UsageError: --tls-cert and --tls-key go together/);
    assert.throws(() => readTlsFiles({ generate: false, certFile: "no-such-cert.pem", keyFile: "no-such-key.pem", clientCaFile: undefined }), /--tls-cert: cannot read no-such-cert\.pem \(ENOENT\); give a PEM file/);
  });

  it("fails when a flag has no value, also when the next argument is another flag", () => {
    assert.equal(refusal(["--port"]), "--port needs a value; see keybridge dev --help");
    assert.equal(refusal(["--port", "--json"]), "--port needs a value; see keybridge dev --help");
  });

  it("fails on unknown arguments, short flags, positionals and a switch given a value", () => {
    for (const arg of ["--frobnicate", "--frob=1", "-p", "-abc", "serve", "--", "--json=1"]) {
      assert.equal(refusal([arg]), `unknown argument "${arg}"; see keybridge dev --help`);
    }
  });

  it("reads --terraform as several paths, and --var and --var-file in command-line order (a later one wins, as in Terraform)", () => {
    const flags = parseDevFlags(["--terraform", "infra/", "--var-file", "a.tfvars", "--var", "team=x=y", "--terraform=extra.tf.json", "--var-file=b.tfvars"]);
    assert.deepEqual(flags.terraform?.paths, ["infra/", "extra.tf.json"]);
    assert.deepEqual(flags.terraform?.commandLine, [
      { kind: "var-file", path: "a.tfvars" },
      { kind: "var", name: "team", text: "x=y" },
      { kind: "var-file", path: "b.tfvars" },
    ]);
  });

  it("fails when --data is empty, --var has no NAME=, or variables come without --terraform", () => {
    assert.equal(refusal(["--data="]), "--data needs a directory; see keybridge dev --help");
    assert.equal(refusal(["--terraform", "a.tf", "--var", "secret-value"]), '--var takes NAME=VALUE (the value given has no "="); see keybridge dev --help');
    assert.equal(refusal(["--var-file", "a.tfvars"]), "--var and --var-file set variables of --terraform PATH; add --terraform");
  });
});
