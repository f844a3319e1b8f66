// The Action against what users would otherwise run: with `--peers DIR`, hashicorp/vault-action's
// and Infisical/secrets-action's own bundles (bench/lib/peer-bundles.ts names the layout); without
// it (and in CI), bench/floor/http-floor.cjs, the same requests on Node's built-in node:http. Each
// side runs as the runner runs it (a process per step, under the file protocol) against one
// `keybridge dev`, on loopback and through bench/relay/latency-relay.mjs, which adds a fixed round
// trip. Ours runs main then post; vault-action and secrets-action have no post step. Pairs
// alternate which side goes first; rows give the median of the paired ratios.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchDevBackend, type RunningDevBackend } from "../testkit/launch-dev-backend.ts";
import { oidcEnv, type OidcRequestPair } from "../testkit/admin/oidc-jobs.ts";
import { LocalJob, type StepResult } from "../testkit/runner-emulator/job.ts";
import { audience, configureVault, issuer, job, role } from "./action-e2e.ts";
import type { BenchContext } from "./lib/context.ts";
import { infisicalFixture } from "./lib/infisical-fixture.ts";
import type { PeerBundle, PeerBundles } from "./lib/peer-bundles.ts";
import { startHelper, type Helper } from "./lib/process.ts";
import { RequestLog, requestLine } from "./lib/request-log.ts";
import type { Row } from "./lib/report.ts";
import { alternate, median, pairedRatio } from "./lib/stats.ts";

const floorScript = fileURLToPath(new URL("./floor/http-floor.cjs", import.meta.url));
const relayScript = fileURLToPath(new URL("./relay/latency-relay.mjs", import.meta.url));
const timeProgram = "/usr/bin/time";
const relayRoundTripMs = 20;
const vaultScenario = { secrets: 50, paths: 10 };
const infisicalShape = { folders: 10, secretsPerFolder: 5 };

type BackendKind = "vault" | "infisical";
type NetworkName = "loopback" | "relay";

/** What one side's run took: the main step, main + post, and the larger peak RSS of its steps. */
interface SideRun {
  readonly mainMs: number;
  readonly totalMs: number;
  readonly peakRssMiB: number | undefined;
  readonly requests: number;
}

/** How one side is started: its scripts (post is absent for the peers) and its inputs. */
interface Side {
  readonly label: string;
  readonly main: string;
  readonly post: string | undefined;
  readonly inputs: Readonly<Record<string, string>>;
  /** Variables the side must export (the peers and ours), or undefined (the floor exports none). */
  readonly exports: number | undefined;
}

interface Setup {
  readonly backend: RunningDevBackend;
  readonly sides: Record<BackendKind, { ours: Side; other: Side }>;
  readonly origins: Record<NetworkName, string>;
}

export interface PeersResult {
  readonly rows: Row[];
  readonly requestChecks: number;
}

const peakRss = /kb-peak-rss-kib=(\d+)/;

/** The network a side talks over: loopback, or the relay's port in front of the same backend. */
function throughNetwork(url: string, origin: string): string {
  const parsed = new URL(url);
  return `${origin}${parsed.pathname}${parsed.search}`;
}

/** "" when the lines are all answered 2xx with one token request, one login and `revokes` revokes. */
function requestProblems(lines: readonly string[], revokes: number): string {
  let tokens = 0;
  let logins = 0;
  let revoked = 0;
  const wrong: string[] = [];
  for (const line of lines) {
    const match = requestLine.exec(line);
    if (!match || !match[3]!.startsWith("2")) wrong.push(line);
    else if (match[2] === "/_oidc/token") tokens += 1;
    else if (/\/login$/.test(match[2]!)) logins += 1;
    else if (/\/revoke(-self)?$/.test(match[2]!)) revoked += 1;
  }
  const problems: string[] = [];
  if (tokens !== 1) problems.push(`${tokens} OIDC token requests`);
  if (logins !== 1) problems.push(`${logins} logins`);
  if (revoked !== revokes) problems.push(`${revoked} revokes, not ${revokes}`);
  if (wrong.length > 0) problems.push(`unexpected: ${wrong.slice(0, 3).join(" / ")}`);
  return problems.join("; ");
}

async function configure(context: BenchContext, peers: PeerBundles | undefined, againstDist: string | undefined): Promise<Omit<Setup, "origins">> {
  const fixture = infisicalFixture({ ...infisicalShape, issuer, audience, repository: job.repository });
  const terraformFile = join(context.workDir, "peers-infisical.tf.json");
  writeFileSync(terraformFile, JSON.stringify(fixture.document));
  const backend = await launchDevBackend(["--verbose", "--terraform", terraformFile, "--infisical-rate-limit", "0"]);
  try {
    const admin = { addr: backend.info.vault.addr, token: backend.info.vault.rootToken };
    const spec = (await configureVault(admin, [vaultScenario])).values().next().value!;
    const identityId = String(backend.info.outputs?.[fixture.identityOutput]);
    const dist = (name: string) => join(context.distDir, name);
    const floorSide = (inputs: Record<string, string>): Side => ({ label: "node:http floor", main: floorScript, post: floorScript, inputs, exports: undefined });
    const peerSide = (peer: PeerBundle, inputs: Record<string, string>, exports: number): Side => ({
      label: `${peer.name} (from --peers)`, main: peer.script, post: undefined, inputs: { ...peer.defaults, ...inputs }, exports,
    });
    // vault-action separates requests with ";" only; ours takes ";" too, so both get the same text.
    const vaultSecrets = spec.lines.join(" ;\n");
    const infisicalSecrets = fixture.folders.map((folder) => `${folder} *`).join("\n");
    const infisicalScope = { "identity-id": identityId, project: fixture.project, environment: fixture.environment };
    // --against-dist: another build of ours (a variant being weighed) instead of a peer or the floor.
    const rivalBuild = (ours: Side): Side => ({ ...ours, label: `dist from ${againstDist}`, main: join(againstDist!, "main.js"), post: join(againstDist!, "post.js") });
    // The url inputs are rewritten per network when a run starts.
    const sides: Setup["sides"] = {
      vault: {
        ours: { label: "ours", main: dist("main.js"), post: dist("post.js"), inputs: { url: "", role, audience, secrets: vaultSecrets }, exports: vaultScenario.secrets },
        other: peers
          ? peerSide(peers.vault, { url: "", method: "jwt", role, jwtGithubAudience: audience, secrets: vaultSecrets }, vaultScenario.secrets)
          : floorSide({ backend: "vault", url: "", role, audience, secrets: vaultSecrets }),
      },
      infisical: {
        // The fixture's folders import nothing, so ours is told so and reads them in one request.
        ours: {
          label: "ours", main: dist("main.js"), post: dist("post.js"),
          inputs: { backend: "infisical", url: "", audience, secrets: infisicalSecrets, "include-imports": "false", ...infisicalScope }, exports: fixture.secretCount,
        },
        other: peers
          ? peerSide(peers.infisical, {
              domain: "", method: "oidc", "identity-id": identityId, "oidc-audience": audience,
              "project-slug": fixture.project, "env-slug": fixture.environment, "secret-path": "/bench", recursive: "true",
            }, fixture.secretCount)
          : floorSide({ backend: "infisical", url: "", audience, secrets: infisicalSecrets, ...infisicalScope }),
      },
    };
    if (againstDist) for (const kind of ["vault", "infisical"] as const) sides[kind] = { ...sides[kind], other: rivalBuild(sides[kind].ours) };
    return { backend, sides };
  } catch (error) {
    await backend.stop();
    throw error;
  }
}

/** The step's inputs with the backend's address as seen through the network. */
function addressed(inputs: Readonly<Record<string, string>>, origin: string): Record<string, string> {
  const copy = { ...inputs };
  for (const name of ["url", "domain"]) if (name in copy) copy[name] = origin;
  return copy;
}

class PeerRunner {
  requestChecks = 0;
  private readonly command: string[];
  readonly measuresRss: boolean;

  constructor(
    private readonly context: BenchContext,
    private readonly setup: Setup,
  ) {
    this.measuresRss = existsSync(timeProgram);
    this.command = this.measuresRss ? [timeProgram, "-f", "kb-peak-rss-kib=%M", context.stepNode] : [context.stepNode];
  }

  async run(kind: BackendKind, network: NetworkName, which: "ours" | "other"): Promise<SideRun> {
    const side = this.setup.sides[kind][which];
    const origin = this.setup.origins[network];
    const { backend } = this.setup;
    const log = new RequestLog(backend);
    const pair: OidcRequestPair = await backend.mintJob(job);
    await log.take(1); // the mint itself
    const local = await LocalJob.create();
    try {
      const inputs = addressed(side.inputs, origin);
      const env = oidcEnv({ requestUrl: throughNetwork(pair.requestUrl, origin), requestToken: pair.requestToken });
      const main = await local.runStep(side.main, { inputs, env, command: this.command, timeoutMs: 30_000 });
      const post = side.post ? await local.runStep(side.post, { inputs, state: main.state, command: this.command, timeoutMs: 30_000 }) : undefined;
      const what = `${side.label}, ${kind} over ${network}`;
      const failed = [main, post].find((step) => step !== undefined && step.exitCode !== 0);
      if (failed) {
        this.context.functionalErrors.push(`${what}: a step exited ${failed.exitCode}: ${(failed.stdout + failed.stderr).split("\n").filter((line) => /error|warning/i.test(line)).slice(0, 2).join(" / ").slice(0, 300)}`);
      } else if (side.exports !== undefined && main.exportedEnv.size !== side.exports) {
        this.context.functionalErrors.push(`${what}: exported ${main.exportedEnv.size} variables, not ${side.exports}`);
      }
      const lines = await log.take(2 + (side.post ? 1 : 0));
      const problems = requestProblems(lines, side.post ? 1 : 0);
      this.requestChecks += 1;
      if (problems) this.context.functionalErrors.push(`${what}: requests on the dev backend: ${problems}`);
      return {
        mainMs: main.elapsedMs,
        totalMs: main.elapsedMs + (post?.elapsedMs ?? 0),
        peakRssMiB: this.peakRssMiB([main, post]),
        requests: lines.length,
      };
    } finally {
      await local.dispose();
    }
  }

  private peakRssMiB(steps: readonly (StepResult | undefined)[]): number | undefined {
    if (!this.measuresRss) return undefined;
    const kib = steps.flatMap((step) => {
      const match = step ? peakRss.exec(step.stderr) : null;
      return match ? [Number(match[1])] : [];
    });
    return kib.length === 0 ? undefined : Math.max(...kib) / 1024;
  }
}

interface Configuration {
  readonly kind: BackendKind;
  readonly network: NetworkName;
  /** What the rows call it: "Vault, 50 secrets / 10 paths, loopback". */
  readonly label: string;
}

const configurations: readonly Configuration[] = [
  { kind: "vault", network: "loopback", label: `Vault, ${vaultScenario.secrets} secrets / ${vaultScenario.paths} paths, loopback` },
  { kind: "vault", network: "relay", label: `Vault, ${vaultScenario.secrets} secrets / ${vaultScenario.paths} paths, ${relayRoundTripMs} ms round trip` },
  { kind: "infisical", network: "loopback", label: `Infisical, ${infisicalShape.folders} folders × ${infisicalShape.secretsPerFolder}, loopback` },
  { kind: "infisical", network: "relay", label: `Infisical, ${infisicalShape.folders} folders × ${infisicalShape.secretsPerFolder}, ${relayRoundTripMs} ms round trip` },
];

/** The targets, against the peers only: the floor is a bound, not a rival. */
function targetFor(configuration: Configuration, figure: "main" | "main+post" | "rss"): number | undefined {
  if (figure === "rss") return configuration.kind === "vault" && configuration.network === "loopback" ? 1.0 : undefined;
  if (figure === "main+post") return configuration.kind === "vault" && configuration.network === "loopback" ? 1.2 : undefined;
  if (configuration.network === "relay") return configuration.kind === "vault" ? 0.5 : undefined;
  return 0.8;
}

function rowsOf(configuration: Configuration, other: Side, samples: { ours: SideRun[]; other: SideRun[] }, withPeers: boolean): Row[] {
  const id = `peers.${configuration.kind}.${configuration.network}`;
  const isFloor = other.main === floorScript;
  const otherWhat = !isFloor && !withPeers ? `${other.label}, main + post` : withPeers
    ? `${other.label}, ${other.post ? "main + post" : "main (it has no post step)"}`
    : "bench/floor/http-floor.cjs: the same requests on node:http, main then post";
  const row = (figure: "main" | "main+post" | "rss", scenario: string, pick: (run: SideRun) => number | undefined, unit: "ms" | "MB"): Row | undefined => {
    const ours = samples.ours.map(pick);
    const others = samples.other.map(pick);
    if (ours.some((value) => value === undefined) || others.some((value) => value === undefined)) return undefined;
    const measured = ours as number[];
    const floor = others as number[];
    const ratio = pairedRatio(measured, floor);
    const target = withPeers ? targetFor(configuration, figure) : undefined;
    return {
      id: `${id}.${figure}`,
      section: "Against the peers",
      scenario,
      measured: { value: median(measured), unit },
      floor: { value: median(floor), unit, what: figure === "main" && isFloor ? "bench/floor/http-floor.cjs: the same requests on node:http (main step)" : otherWhat },
      ratio,
      ...(target === undefined ? {} : { target: { text: `≤ ${target.toFixed(1)}× ${withPeers ? "peer" : "floor"}`, met: ratio <= target, ...(ratio <= target ? {} : { missedBy: `${ratio.toFixed(2)}× against ${target}×` }) } }),
      details: { samples: measured, floorSamples: floor, requestsPerRun: { ours: samples.ours[0]?.requests, other: samples.other[0]?.requests } },
    };
  };
  const peerName = withPeers ? other.label.split(" ")[0] : isFloor ? "floor" : other.label;
  return [
    row("main", `Action main, ${configuration.label} (vs ${peerName})`, (run) => run.mainMs, "ms"),
    row("main+post", `Action main + post, ${configuration.label} (vs ${peerName})`, (run) => run.totalMs, "ms"),
    configuration.network === "loopback" ? row("rss", `Action peak RSS, ${configuration.label} (vs ${peerName})`, (run) => run.peakRssMiB, "MB") : undefined,
  ].filter((entry): entry is Row => entry !== undefined);
}

export async function benchPeers(context: BenchContext, peers: PeerBundles | undefined, againstDist?: string): Promise<PeersResult> {
  const configured = await configure(context, peers, againstDist);
  let relay: Helper | undefined;
  try {
    const port = new URL(configured.backend.info.vault.addr).port;
    relay = await startHelper([relayScript, port, String(relayRoundTripMs)]);
    const relayPort = (JSON.parse(relay.firstLine) as { port: number }).port;
    const setup: Setup = { ...configured, origins: { loopback: new URL(configured.backend.info.vault.addr).origin, relay: `http://127.0.0.1:${relayPort}` } };
    const runner = new PeerRunner(context, setup);
    const rows: Row[] = [];
    // Quick (CI) runs check both backends on loopback; the relay's rows are the full run's.
    for (const configuration of configurations.filter((entry) => !context.quick || entry.network === "loopback")) {
      const { kind, network } = configuration;
      context.log(`peers: ${configuration.label}, ours against ${setup.sides[kind].other.label}`);
      const samples = await alternate(
        { warmups: 1, runs: context.quick ? 2 : 9 },
        () => runner.run(kind, network, "other"),
        () => runner.run(kind, network, "ours"),
      );
      rows.push(...rowsOf(configuration, setup.sides[kind].other, { ours: samples.measured, other: samples.floor }, peers !== undefined));
    }
    return { rows, requestChecks: runner.requestChecks };
  } finally {
    await relay?.stop();
    const code = await configured.backend.stop();
    if (code !== 0) context.functionalErrors.push(`keybridge dev (peer benchmark) exited with ${code} on SIGTERM`);
  }
}
