// `keybridge synth APP [--out DIR]`: runs a CDKTF app (TypeScript or JavaScript) in this process and
// writes each stack's cdk.tf.json and keybridge.policy.json under DIR. Needs neither the cdktf CLI
// nor a terraform binary: cdktf's in-process synth does not call terraform.
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { UsageError } from "./usage-error.ts";
import { importApp } from "./synth/load-app.ts";
import { describeAppFailure, keepStackTracesCheap } from "./synth/synth-errors.ts";
import { optimizeLater } from "./tiering.ts";

/** The process as `keybridge synth` runs an app in it (the synth benchmark too). */
export function prepareSynthProcess(): void {
  keepStackTracesCheap();
  optimizeLater("synth");
}

export const synthUsage = "keybridge synth APP [--out DIR]   synthesize a CDKTF app (default DIR: cdktf.out)";

interface StackManifest {
  readonly name: string;
  readonly synthesizedStackPath: string;
  readonly annotations?: ReadonlyArray<{ readonly constructPath: string; readonly level: string; readonly message: string }>;
}

function parse(argv: readonly string[]): { app: string; out: string } {
  const { values, positionals } = parseArgs({ args: [...argv], options: { out: { type: "string" } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError(`takes one app file, got ${positionals.length}; usage: ${synthUsage}`);
  const app = resolve(positionals[0]!);
  if (!existsSync(app)) throw new UsageError(`the app ${positionals[0]} does not exist; give the path of the file that calls app.synth()`);
  return { app, out: resolve(values.out ?? "cdktf.out") };
}

export async function synthCommand(argv: readonly string[], log = console.log, warn = console.error): Promise<number> {
  const { app, out } = parse(argv);
  prepareSynthProcess();
  const manifestPath = join(out, "manifest.json");
  // Stacks left from an earlier synth would linger next to the new ones.
  if (existsSync(manifestPath)) rmSync(join(out, "stacks"), { recursive: true, force: true });
  rmSync(manifestPath, { force: true });
  process.env.CDKTF_OUTDIR = out;
  try {
    await importApp(app);
  } catch (error) {
    for (const line of describeAppFailure(error, app)) warn(`keybridge synth: ${line}`);
    return 1;
  }
  if (!existsSync(manifestPath)) {
    warn(`keybridge synth: KB_SYNTH_APP_FAILED: ${app} ran but wrote no manifest to ${out}; does it call app.synth()?`);
    return 1;
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { stacks: Record<string, StackManifest> };
  for (const stack of Object.values(manifest.stacks)) {
    for (const annotation of stack.annotations ?? []) {
      if (annotation.level !== "@cdktf/info") warn(`keybridge synth: ${annotation.level.replace("@cdktf/", "")}: [${annotation.constructPath}] ${annotation.message}`);
    }
    const terraformFile = join(out, stack.synthesizedStackPath);
    const policyFile = join(terraformFile, "..", "keybridge.policy.json");
    const resources = Object.values((JSON.parse(readFileSync(terraformFile, "utf8")) as { resource?: Record<string, object> }).resource ?? {})
      .reduce((count, byName) => count + Object.keys(byName).length, 0);
    const policy = existsSync(policyFile) ? `, ${policyFile}` : " (no SecretsPlatform in this stack: no policy document)";
    log(`${stack.name}: ${terraformFile} (${resources} resources)${policy}`);
    const manifests = manifestFiles(join(terraformFile, ".."));
    if (manifests.length > 0) log(`${stack.name}: operator manifests ${manifests.join(", ")}`);
  }
  return 0;
}

/** The operator manifests synth wrote beside cdk.tf.json (kubernetes/<cluster>.yaml), if any. */
function manifestFiles(stackDir: string): string[] {
  const directory = join(stackDir, "kubernetes");
  return existsSync(directory) ? readdirSync(directory).sort().map((file) => join(directory, file)) : [];
}
