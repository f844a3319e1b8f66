// `npm run demo`: the Action end to end on the embedded dev backend. It starts `keybridge dev`,
// sets up a realistic project through Vault's own API, runs the committed bundle (dist/) the way a
// GitHub runner would for an allowed job and for a job from another branch, and prints what the
// CI log would show. Every process it starts is stopped before it exits.
import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";
import { launchDevBackend, oidcEnv, type RunningDevBackend } from "../../dev/launch.ts";
import { LocalJob, type StepResult } from "../../dev/runner/job.ts";
import { renderJobLog } from "../../dev/runner/masked-log.ts";
import { configureDemo, demoRole } from "./configure.ts";

const mainScript = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
const postScript = fileURLToPath(new URL("../../dist/post.js", import.meta.url));

const workflowInputs = {
  url: "", // filled in with the dev backend's address
  role: demoRole.name,
  secrets: [
    "secret/data/ml-training/prod/database password | DB_PASSWORD",
    "secret/data/ml-training/prod/database username | DB_USER",
    "secret/data/ml-training/prod/api *",
  ].join("\n"),
  "export-file": "secrets.env",
};

const productionJob = { repository: "acme/training", ref: "refs/heads/main", runner_environment: "self-hosted" };
const branchJob = { ...productionJob, ref: "refs/heads/try-new-optimizer" };

function heading(text: string): void {
  console.log(`\n\x1b[1m${text}\x1b[0m`);
}

function showLog(step: StepResult): void {
  const log = renderJobLog(step.stdout);
  console.log(log.split("\n").map((line) => `  | ${line}`).join("\n"));
}

async function tokenIsRevoked(backend: RunningDevBackend, token: string): Promise<boolean> {
  const response = await fetch(`${backend.info.vault.addr}/v1/auth/token/lookup-self`, { headers: { "X-Vault-Token": token } });
  return response.status === 403;
}

async function main(): Promise<boolean> {
  const backend = await launchDevBackend();
  const jobs: LocalJob[] = [];
  try {
    const inputs = { ...workflowInputs, url: backend.info.vault.addr };
    heading(`keybridge dev is up at ${backend.info.vault.addr} (tokens carry iss ${backend.info.oidc.issuer})`);
    const secrets = await configureDemo({ addr: backend.info.vault.addr, token: backend.info.vault.rootToken });
    console.log(`  role ${demoRole.name} binds ${JSON.stringify(demoRole.claims)}, aud ${demoRole.audience}`);
    console.log("  secrets: ml-training/prod/database (username, password), ml-training/prod/api (token, multi-line PEM signing_key)");

    heading("1. Push to main of acme/training on a self-hosted runner");
    const job = await LocalJob.create();
    jobs.push(job);
    const pair = await backend.mintJob(productionJob);
    const main = await job.runStep(mainScript, { inputs, env: oidcEnv(pair) });
    showLog(main);
    const names = [...main.exportedEnv.keys()].filter((name) => name !== "VAULT_TOKEN");
    heading("   A later step of the job sees (values as the log would show them):");
    const values = Object.values(secrets).flatMap((group) => Object.values(group) as string[]);
    for (const name of names) {
      const value = job.env.get(name) ?? "";
      const masked = values.includes(value) ? "***" : "(not a demo secret)";
      console.log(`  | ${name}=${masked}  (${value.length} characters${value.includes("\n") ? ", multi-line" : ""})`);
    }
    const file = main.outputs.get("file");
    console.log(`  | export file: ${file ?? "(none)"}`);

    heading("   Post step (runs also when the job fails or is cancelled):");
    const post = await job.runStep(postScript, { inputs, state: main.state });
    showLog(post);
    const token = [...main.state.values()].find((value) => value.startsWith("hvs."));
    const revoked = token !== undefined && (await tokenIsRevoked(backend, token));
    const fileGone = file !== undefined && !existsSync(file);
    console.log(`  => token revoked: ${revoked ? "yes" : "NO"}; export file deleted: ${fileGone ? "yes" : "NO"}`);

    heading("2. The same workflow from branch try-new-optimizer: Vault refuses, nothing is exported");
    const branch = await LocalJob.create();
    jobs.push(branch);
    const refused = await branch.runStep(mainScript, { inputs, env: oidcEnv(await backend.mintJob(branchJob)) });
    showLog(refused);
    console.log(`  => exit code ${refused.exitCode}; variables exported: ${refused.exportedEnv.size}`);

    const ok = main.exitCode === 0 && names.length > 0 && post.exitCode === 0 && revoked && fileGone
      && refused.exitCode === 1 && refused.exportedEnv.size === 0;
    heading(ok ? "Demo finished: the allowed job got masked secrets, the other branch got nothing." : "Demo FAILED: see above.");
    return ok;
  } finally {
    await Promise.all(jobs.map((job) => job.dispose()));
    await backend.stop();
  }
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error: unknown) => {
    console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
