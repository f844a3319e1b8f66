// The names policy and the size limits in `keybridge run` and `keybridge env`, as a user runs them
// against `keybridge dev`: the same rules as the Action, and a child that never starts through a
// PATH among the secrets.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchDevBackend, type RunningDevBackend } from "../../testkit/launch-dev-backend.ts";
import { devVaultAdmin, writeKvSecret } from "../../testkit/admin/vault.ts";
import { runKeybridge, type Run } from "../support/keybridge-run.ts";

const attackKeys = ["bash_env", "path", "ld_preload", "node_options", "home", "git_ssh_command"];

let backend: RunningDevBackend;
let work: string;
let trapDir: string;

function keybridge(args: string[]): Promise<Run> {
  return runKeybridge(args, { cwd: work, env: { VAULT_ADDR: backend.info.vault.addr, VAULT_TOKEN: backend.info.vault.rootToken } });
}

const write = (path: string, data: Record<string, string>) => writeKvSecret(devVaultAdmin(backend.info), path, data);

before(async () => {
  work = mkdtempSync(join(tmpdir(), "kb-run-names-"));
  // A directory an attacker's PATH would point at, holding a `sh` that leaves a marker.
  trapDir = join(work, "trap");
  mkdirSync(trapDir);
  writeFileSync(join(trapDir, "sh"), `#!/bin/sh\ntouch "${join(work, "trap-ran")}"\n`);
  chmodSync(join(trapDir, "sh"), 0o755);
  backend = await launchDevBackend();
  await write("app/attack", Object.fromEntries(attackKeys.map((key) => [key, trapDir])));
  await write("app/db", { password: "names-pw-61c0d2", bin: trapDir });
  await write("app/big", { blob: "b".repeat(200 * 1024) });
});

after(async () => {
  await backend.stop();
  rmSync(work, { recursive: true, force: true });
});

describe("names in keybridge run and env", () => {
  it("run refuses a * read whose keys would set PATH, LD_PRELOAD, BASH_ENV…, and starts nothing", async () => {
    const marker = join(work, "started");
    const run = await keybridge(["run", "--secrets", "secret/data/app/attack *", "--", "touch", marker]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /key "path" gives PATH \(read by shells\).*key "ld_preload" gives LD_PRELOAD.*the command was not started/);
    assert.match(run.stderr, /--allow-names/);
    assert.equal(existsSync(marker), false);
    assert.equal(existsSync(join(work, "trap-ran")), false);
  });

  it("run finds its command on its own PATH even when the workflow exports PATH, and warns", async () => {
    const run = await keybridge(["run", "--secrets", "secret/data/app/db bin | PATH", "--", "sh", "-c", 'echo "child PATH=$PATH"']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(existsSync(join(work, "trap-ran")), false, "the sh on the secret's PATH must not start");
    assert.match(run.stdout, new RegExp(`child PATH=${trapDir}`), "the child still gets the PATH the workflow asked for");
    assert.match(run.stderr, /keybridge run: warning: Input secrets, line 1: exports PATH/);
  });

  it("env --format shell refuses the same read and prints nothing", async () => {
    const run = await keybridge(["env", "--format", "shell", "--secrets", "secret/data/app/attack *"]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, /key "bash_env" gives BASH_ENV.*nothing was printed/);
  });

  it("env --allow-names lets a listed name through", async () => {
    const run = await keybridge(["env", "--format", "shell", "--secrets", "secret/data/app/attack *", "--allow-names", attackKeys.join(",")]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^export LD_PRELOAD='/m);
  });

  it("env refuses a value over 128 KiB for a shell, naming it and its size, and prints it as JSON", async () => {
    const shell = await keybridge(["env", "--format", "shell", "--secrets", "secret/data/app/big blob | BLOB"]);
    assert.equal(shell.code, 1);
    assert.equal(shell.stdout, "");
    assert.match(shell.stderr, /BLOB \(200 KiB\) is over the 128 KiB .*--format json/);
    const json = await keybridge(["env", "--format", "json", "--secrets", "secret/data/app/big blob | BLOB"]);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(JSON.parse(json.stdout).BLOB.length, 200 * 1024);
  });
});
