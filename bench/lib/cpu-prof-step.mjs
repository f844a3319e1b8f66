// Runs one Action step under node's --cpu-prof (which NODE_OPTIONS may not carry): the runner
// starts this file as the step, with the step's whole environment, and it starts the real script
// with the profiler on, passing stdio and the exit code through.
//   KB_PROFILE_SCRIPT=dist/main.js KB_PROFILE_DIR=.tmp/profiles KB_PROFILE_NAME=main.cpuprofile node cpu-prof-step.mjs
import { spawnSync } from "node:child_process";

const { KB_PROFILE_SCRIPT: script, KB_PROFILE_DIR: dir, KB_PROFILE_NAME: name } = process.env;
if (!script || !dir || !name) {
  process.stderr.write("cpu-prof-step: set KB_PROFILE_SCRIPT, KB_PROFILE_DIR and KB_PROFILE_NAME\n");
  process.exit(2);
}
const result = spawnSync(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`, script], { stdio: "inherit", timeout: 25_000 });
process.exit(result.status ?? 1);
