import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { TerraformStack, Testing } from "../../provider/cdk.ts";
import { testingApp } from "./support/testing-app.ts";
import { Duration, GitHubOidc, Rotation, SecretsPlatform, VaultBackend, type SecretsProject } from "../../provider/index.ts";

function project(declare: (project: SecretsProject) => void): TerraformStack {
  const stack = new TerraformStack(testingApp(), "stack");
  const platform = new SecretsPlatform(stack, "secrets", { backend: VaultBackend.kvV2() });
  const ml = platform.addProject("ml", { environments: ["dev", { name: "prod", protected: true }] });
  ml.addSecret("database");
  declare(ml);
  return stack;
}

function failsSynth(declare: (project: SecretsProject) => void, pattern: RegExp): void {
  const stack = project(declare);
  assert.throws(() => Testing.synth(stack, true), (error: Error) => {
    assert.match(error.message, pattern);
    return true;
  });
}

const training = (conditions = {}) => GitHubOidc.repository("acme/training", conditions);

describe("synth-time validation", () => {
  it("fails when a grant on a protected environment binds neither ref nor environment", () =>
    failsSynth((ml) => ml.grantRead(training(), { environment: "prod", id: "ci" }), /\[stack\/secrets\/ml\/ci\] KB_SYNTH_INVALID: a grant on protected environment prod must bind a ref or a GitHub environment/));

  it("fails when a grant on every environment includes a protected one without a ref", () =>
    failsSynth((ml) => ml.grantRead(training(), { environment: "*", id: "all" }), /\[stack\/secrets\/ml\/all\] KB_SYNTH_INVALID: a grant on protected environment prod must bind/));

  it("fails when a protected environment is granted to a wildcard repository", () =>
    failsSynth((ml) => ml.grantRead(GitHubOidc.repository("acme/*", { ref: "refs/heads/main" }), { environment: "prod", id: "wild" }), /may not match a wildcard repository \(acme\/\*\)/));

  it("fails when a protected environment is granted to a whole organization", () =>
    failsSynth((ml) => ml.grantRead(GitHubOidc.organization("acme", { ref: "refs/heads/main" }), { environment: "prod", id: "org" }), /may not match a wildcard repository \(owner acme\)/));

  it("fails when the environment is unknown, naming the construct path", () =>
    failsSynth((ml) => ml.grantRead(training(), { environment: "prd", id: "typo" }), /\[stack\/secrets\/ml\/typo\] KB_SYNTH_INVALID: environment "prd" is not an environment of project ml; use one of dev, prod or "\*"/));

  it("fails when a path matches no secret", () =>
    failsSynth((ml) => ml.grantRead(training(), { environment: "dev", paths: ["databse"], id: "typo" }), /path "databse" matches no secret of project ml/));

  it("fails when the token TTL is out of bounds", () => {
    failsSynth((ml) => ml.grantRead(training(), { environment: "dev", tokenTtl: Duration.hours(13), id: "long" }), /tokenTtl 13 h is out of bounds; give one between 1 minute and 12 hours/);
    failsSynth((ml) => ml.grantRead(training(), { environment: "dev", tokenTtl: Duration.minutes(10), tokenMaxTtl: Duration.minutes(5), id: "max" }), /tokenMaxTtl 5 min is out of bounds/);
  });

  it("warns, without failing, when a protected grant does not pin the runner", () => {
    const stack = project((ml) => ml.grantRead(training({ ref: "refs/heads/main" }), { environment: "prod", id: "ok" }));
    Testing.synth(stack, true);
    const grant = stack.node.findAll().find((construct) => construct.node.path === "stack/secrets/ml/ok")!;
    const warnings = grant.node.metadata.filter((entry) => entry.type === "@cdktf/warn").map((entry) => entry.data);
    assert.deepEqual(warnings, ['the grant on protected environment prod does not pin the runner; consider runner: "self-hosted"']);
  });

  it("fails at once on malformed values, naming them", () => {
    assert.throws(() => GitHubOidc.repository("training"), /GitHubOidc\.repository\("training"\): give owner\/name/);
    assert.throws(() => Rotation.every(Duration.days(1001)), /Rotation period 1001 days is out of bounds: give one between 1 hour and 1000 days/);
    assert.throws(() => Duration.minutes(-1), /give a positive amount/);
    assert.throws(() => project((ml) => { ml.grantRead(training(), { environment: "dev", id: "x" }); ml.grantRead(training(), { environment: "dev", id: "x" }); }),
      /a grant with id "x" exists already/);
  });
});
