// `npm run bench`: every benchmark of issue 7, one table on stdout, bench/results.json and
// docs/PERFORMANCE.md. `npm run bench -- --quick` runs fewer sizes, shorter and fewer times (under a
// minute, for CI) and writes its results to the temp directory, never over the full run's files.
// `--peers DIR` runs hashicorp/vault-action's and Infisical/secrets-action's bundles from DIR beside
// ours (bench/lib/peer-bundles.ts names the layout); without it their rows use a node:http floor.
// `--against-dist DIR` puts another build of ours in the rivals' place (to weigh a change).
// `--node PATH` runs the Action's steps (and the peers', and the floors') with another node, e.g. 24.
// `--only=action,startup,bundle,synth,plans,throughput` runs some sections, and `--profile` profiles
// every target's subject, met or not (both write to the temp directory too). Exit code 1 only for a functional error (a wrong request count, a crashed process,
// a refused request), never for a missed target: those are reported.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { benchAccess } from "./access.ts";
import { benchAction } from "./action-e2e.ts";
import { benchBundle, type BundleResult } from "./bundle.ts";
import { benchCliStartup } from "./cli-startup.ts";
import { benchPeers } from "./peers.ts";
import { benchPlans, plansProfileFits } from "./plans/index.ts";
import { readPeerBundles, type PeerBundles } from "./lib/peer-bundles.ts";
import { benchStartup } from "./startup.ts";
import { benchSynth, type SynthResult } from "./synth/index.ts";
import { benchThroughput } from "./throughput.ts";
import type { BenchContext } from "./lib/context.ts";
import { performanceDoc } from "./lib/performance-doc.ts";
import type { ProfileSummary } from "./lib/profile.ts";
import { describeMachine, formatFigure, textTable, type Row } from "./lib/report.ts";

/** How results.json and docs/PERFORMANCE.md name the run's temporary directory. */
const tempDirName = "$TMPDIR/keybridge-bench";

const sectionNames = ["bundle", "startup", "action", "peers", "synth", "plans", "access", "throughput"] as const;
type SectionName = (typeof sectionNames)[number];

interface Options {
  quick: boolean;
  profile: boolean;
  only: Set<SectionName> | undefined;
  peers: PeerBundles | undefined;
  node: string | undefined;
  againstDist: string | undefined;
}

function parseArgs(args: readonly string[]): Options {
  let peers: PeerBundles | undefined;
  let node: string | undefined;
  let againstDist: string | undefined;
  let quick = false;
  let profile = false;
  let only: Set<SectionName> | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = (): string => {
      const next = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : args[++i];
      if (!next) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === "--quick") quick = true;
    else if (arg === "--peers" || arg.startsWith("--peers=")) peers = readPeerBundles(resolve(value()));
    else if (arg === "--node" || arg.startsWith("--node=")) node = resolve(value());
    else if (arg === "--against-dist" || arg.startsWith("--against-dist=")) againstDist = resolve(value());
    else if (arg === "--profile") profile = true;
    else if (arg.startsWith("--only=")) {
      const names = arg.slice("--only=".length).split(",").filter(Boolean);
      const unknown = names.filter((name) => !(sectionNames as readonly string[]).includes(name));
      if (unknown.length > 0) throw new Error(`--only: unknown section ${unknown.join(", ")}; sections: ${sectionNames.join(", ")}`);
      only = new Set(names as SectionName[]);
    } else throw new Error(`unknown argument "${arg}"; use --quick, --profile, --peers DIR, --node PATH and/or --only=${sectionNames.join(",")}`);
  }
  return { quick, profile, only, peers, node, againstDist };
}

async function main(): Promise<number> {
  const started = performance.now();
  let options: Options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n`);
    return 2;
  }
  const runs = (name: SectionName) => options.only === undefined || options.only.has(name);
  const machine = describeMachine();
  const stepNodeVersion = execFileSync(options.node ?? process.execPath, ["--version"], { encoding: "utf8" }).trim();
  const workDir = mkdtempSync(join(tmpdir(), "keybridge-bench-"));
  const distDir = join(workDir, "snapshot", "dist");
  mkdirSync(distDir, { recursive: true });
  cpSync(fileURLToPath(new URL("../dist", import.meta.url)), distDir, { recursive: true });
  writeFileSync(join(workDir, "snapshot", "package.json"), '{ "type": "module" }\n');
  const context: BenchContext = {
    quick: options.quick,
    profileAll: options.profile,
    workDir,
    distDir,
    stepNode: options.node ?? process.execPath,
    functionalErrors: [],
    log: (line) => process.stderr.write(`bench: ${line}\n`),
  };
  const rows: Row[] = [];
  const profiles = new Map<string, ProfileSummary[]>();
  const attach = (sectionRows: readonly Row[], sectionProfiles: readonly ProfileSummary[], relevant: (row: Row, profile: ProfileSummary) => boolean = () => true) => {
    for (const row of sectionRows) {
      if (!row.target || (row.target.met && !options.profile)) continue;
      const mine = sectionProfiles.filter((profile) => relevant(row, profile));
      if (mine.length > 0) profiles.set(row.id, mine);
    }
  };
  let bundle: BundleResult | undefined;
  let synth: SynthResult | undefined;
  let actionRequestChecks = 0;
  let peersRun: { withPeers: boolean; stepNode: string } | undefined;
  context.log(`${options.quick ? "quick" : "full"} run on ${machine.cpu}, ${machine.cores} cores, node ${machine.node} (steps: ${stepNodeVersion})`);
  try {
    // Bundle first: its metafile names the chunks that CPU profiles of dist/ run through.
    const section = async <T>(name: SectionName, work: () => Promise<T>): Promise<T | undefined> => {
      if (!runs(name)) return undefined;
      try {
        return await work();
      } catch (error) {
        context.functionalErrors.push(`section ${name} failed: ${(error as Error).stack ?? String(error)}`);
        return undefined;
      }
    };
    bundle = await section("bundle", () => benchBundle(context));
    const chunkOwners = bundle?.chunkOwners ?? new Map<string, string>();
    if (bundle) rows.push(...bundle.rows.filter((row) => row.id === "bundle.fetch-path"));
    const startup = await section("startup", () => benchStartup(context, chunkOwners));
    if (startup) {
      rows.push(...startup.rows);
      attach(startup.rows, startup.profiles);
    }
    const cliStartup = await section("startup", () => benchCliStartup(context));
    if (cliStartup) rows.push(...cliStartup);
    if (bundle) rows.push(...bundle.rows.filter((row) => row.id !== "bundle.fetch-path"));
    const action = await section("action", () => benchAction(context, chunkOwners));
    if (action) {
      rows.push(...action.rows);
      actionRequestChecks = action.requestChecks;
      attach(action.rows, action.profiles);
    }
    const peers = await section("peers", () => benchPeers(context, options.peers, options.againstDist));
    if (peers) {
      rows.push(...peers.rows);
      peersRun = { withPeers: options.peers !== undefined, stepNode: stepNodeVersion };
    }
    synth = await section("synth", () => benchSynth(context));
    if (synth) {
      rows.push(...synth.rows);
      attach(synth.rows, synth.profiles);
    }
    const plans = await section("plans", () => benchPlans(context));
    if (plans) {
      rows.push(...plans.rows);
      attach(plans.rows, plans.profiles, plansProfileFits);
    }
    const access = await section("access", () => benchAccess(context));
    if (access) rows.push(...access.rows);
    const throughput = await section("throughput", () => benchThroughput(context));
    if (throughput) {
      rows.push(...throughput.rows);
      attach(throughput.rows, throughput.profiles, (row, profile) => profile.subject.includes(row.id.includes(".reads.") ? "under reads" : "under logins"));
      // A kind missed at several client counts was profiled once, at the most clients.
    }
  } finally {
    rmSync(context.workDir, { recursive: true, force: true });
  }

  const wallMs = performance.now() - started;
  process.stdout.write(`${textTable(rows)}\n\n`);
  process.stdout.write(`${options.quick ? "quick" : "full"} run: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}; wall time ${(wallMs / 1000).toFixed(1)} s\n`);
  for (const row of rows.filter((row) => row.target && !row.target.met)) {
    process.stdout.write(`missed: ${row.scenario}: ${row.target!.missedBy ?? ""} (measured ${formatFigure(row.measured)})\n`);
  }

  const results = {
    kind: `${options.quick ? "quick" : options.only ? `partial: ${[...options.only].join(", ")}` : "full"}${options.profile ? ", profiled" : ""}`,
    machine: { ...machine, stepNode: stepNodeVersion },
    wallMs,
    functionalErrors: context.functionalErrors,
    rows,
    profiles: Object.fromEntries(profiles),
  };
  const full = !options.quick && !options.profile && options.only === undefined;
  // What is committed names the run's temporary directory as $TMPDIR, absolute or as profiles write it (from the repository).
  const committable = (text: string) => text.split(workDir).join(tempDirName).split(relative(fileURLToPath(new URL("../", import.meta.url)), workDir)).join(tempDirName);
  const resultsFile = full ? fileURLToPath(new URL("./results.json", import.meta.url)) : join(tmpdir(), `keybridge-bench-${options.quick ? "quick" : "partial"}.json`);
  writeFileSync(resultsFile, committable(`${JSON.stringify(results, null, 2)}\n`));
  process.stdout.write(`results: ${resultsFile}\n`);
  if (full && context.functionalErrors.length === 0) {
    const doc = fileURLToPath(new URL("../docs/PERFORMANCE.md", import.meta.url));
    writeFileSync(doc, committable(performanceDoc({ machine, wallMs, rows, bundle, synth, requestChecks: actionRequestChecks, peers: peersRun, profiles })));
    process.stdout.write(`report: ${doc}\n`);
  }
  if (context.functionalErrors.length > 0) {
    process.stderr.write(`bench: ${context.functionalErrors.length} functional error(s)${full ? " (docs/PERFORMANCE.md left as it was)" : ""}:\n`);
    for (const error of context.functionalErrors) process.stderr.write(`  - ${error}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
