// Reads V8 CPU profiles (`node --cpu-prof`) and says where the time went: by kind (idle, GC, V8's
// own work such as compiling, node's internals, each dependency, our code) and the functions with
// the most self time. What a missed target's explanation in docs/PERFORMANCE.md is built from.
import { readdirSync, readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { tmpdir } from "node:os";

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface Share {
  readonly name: string;
  readonly ms: number;
  readonly percent: number;
  /** For a function: the function of ours nearest above it on the stack, with the share it accounts for. */
  readonly via?: { readonly name: string; readonly percent: number };
}

export interface ProfileSummary {
  /** What was profiled, in words. */
  readonly subject: string;
  readonly file: string;
  readonly totalMs: number;
  /** Sampled time by kind, largest first. */
  readonly byKind: readonly Share[];
  /** Sampled time that was not idle, by kind, largest first. */
  readonly busyMs: number;
  readonly topFunctions: readonly Share[];
  /** Requests served while profiled, when the subject is a server under load. */
  readonly requests?: number;
}

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** Where a frame's code comes from: a dependency, node itself, our code, or V8's own work. */
export function frameKind(frame: CallFrame, chunkOwners: ReadonlyMap<string, string> = new Map()): string {
  const name = frame.functionName;
  if (frame.url === "") {
    if (name === "(idle)") return "(idle: waiting for I/O)";
    if (name === "(garbage collector)") return "(garbage collector)";
    if (name === "(program)") return "(program: V8 and native work, compiling included)";
    if (name === "(root)") return "(root)";
    return "(native)";
  }
  if (frame.url.startsWith("wasm:")) return "WebAssembly (undici's llhttp parser)";
  if (frame.url.startsWith("node:")) {
    if (/^node:internal\/(modules|process\/esm_loader|vm)/.test(frame.url)) return "node: module loading";
    if (/^node:internal\/deps\/undici/.test(frame.url)) return "node: built-in undici";
    return "node: internals";
  }
  const path = frame.url.startsWith("file://") ? fileURLToPath(frame.url) : frame.url;
  const inModules = path.lastIndexOf("/node_modules/");
  if (inModules !== -1) {
    const rest = path.slice(inModules + "/node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  for (const [chunk, owner] of chunkOwners) if (path.endsWith(`/${chunk}`)) return owner;
  const bundled = /\/dist\/(.+)$/.exec(path);
  if (bundled) return `keybridge dist/ (${bundled[1]})`;
  const inside = relative(repoRoot, path);
  if (!inside.startsWith("..")) return `keybridge ${inside.split("/")[0]}/`;
  return path;
}

function shares(map: Map<string, number>, total: number, limit: number): Share[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, ms]) => ({ name, ms, percent: total > 0 ? (100 * ms) / total : 0 }));
}

/** A span of the monotonic clock, in microseconds (process.hrtime.bigint() / 1000n): V8 stamps samples with it. */
export interface ProfileWindow {
  readonly startUs: number;
  readonly endUs: number;
}

/** process.hrtime.bigint() as the microseconds a CPU profile's timestamps use. */
export const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

/**
 * A file as the report names it: relative to the repository, or under $TMPDIR (the run's folder
 * without its random suffix), so no report names a directory of the machine it ran on.
 */
function placeOf(path: string): string {
  // node_modules may be a link to another checkout's: named from node_modules on.
  const inModules = path.lastIndexOf("/node_modules/");
  if (inModules !== -1) return path.slice(inModules + 1);
  const inside = relative(repoRoot, path);
  if (!inside.startsWith("..")) return inside;
  const inTemp = relative(tmpdir(), path);
  if (!inTemp.startsWith("..")) return `$TMPDIR/${inTemp.replace(/^keybridge-bench-[^/]+/, "keybridge-bench")}`;
  return path;
}

function frameName(frame: CallFrame): string {
  if (frame.url === "") return frame.functionName;
  const where = frame.url.startsWith("file://") ? placeOf(fileURLToPath(frame.url)) : frame.url;
  // Line numbers of TypeScript run through tsx are those of its transpiled output: left out.
  const line = /\.(ts|tsx|mts)$/.test(where) ? "" : `:${frame.lineNumber + 1}`;
  return `${frame.functionName || "(anonymous)"} (${where}${line})`;
}

/**
 * Self time by kind and by function, and for each busy function the function of ours (keybridge
 * source or bundle) nearest above it on the stack: what called into a dependency or node. With a
 * window, only samples inside it count (when the window and the profile overlap).
 */
export function summarizeProfile(file: string, subject: string, chunkOwners: ReadonlyMap<string, string> = new Map(), window?: ProfileWindow): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const ours = (frame: CallFrame) => frame.url !== "" && frameKind(frame, chunkOwners).startsWith("keybridge ");
  const oursAbove = new Map<number, string>();
  const ourCaller = (id: number): string => {
    const known = oursAbove.get(id);
    if (known !== undefined) return known;
    let at: number | undefined = id;
    let found = "";
    for (let depth = 0; at !== undefined && depth < 10_000; depth++) {
      const frame: CallFrame = byId.get(at)!.callFrame;
      if (ours(frame)) {
        found = frameName(frame);
        break;
      }
      at = parent.get(at);
    }
    oursAbove.set(id, found);
    return found;
  };

  const overlaps = window !== undefined && window.startUs < profile.endTime && window.endUs > profile.startTime;
  const selfUs = new Map<number, number>();
  // timeDeltas[i] is the time from sample i-1 to sample i: charge it to the frame on the stack at i.
  let clock = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = Math.max(0, profile.timeDeltas[i] ?? 0);
    clock += delta;
    if (overlaps && (clock < window!.startUs || clock > window!.endUs)) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const kinds = new Map<string, number>();
  const functions = new Map<string, number>();
  const callers = new Map<string, Map<string, number>>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    totalUs += us;
    const kind = frameKind(frame, chunkOwners);
    kinds.set(kind, (kinds.get(kind) ?? 0) + us / 1000);
    if (frame.functionName === "(idle)" && frame.url === "") continue;
    const key = frameName(frame);
    functions.set(key, (functions.get(key) ?? 0) + us / 1000);
    const caller = ours(frame) ? "" : ourCaller(id);
    if (caller) {
      const forKey = callers.get(key) ?? new Map<string, number>();
      forKey.set(caller, (forKey.get(caller) ?? 0) + us / 1000);
      callers.set(key, forKey);
    }
  }
  const totalMs = totalUs / 1000;
  const idleMs = kinds.get("(idle: waiting for I/O)") ?? 0;
  const busyMs = totalMs - idleMs;
  const topFunctions = shares(functions, busyMs, 8).map((share) => {
    const under = [...(callers.get(share.name) ?? [])].sort((a, b) => b[1] - a[1])[0];
    return under ? { ...share, via: { name: under[0], percent: (100 * under[1]) / share.ms } } : share;
  });
  return {
    subject: overlaps ? subject : window ? `${subject} (the whole process: the window did not match the profile's clock)` : subject,
    file: basename(file),
    totalMs,
    busyMs,
    byKind: shares(kinds, totalMs, 12),
    topFunctions,
  };
}

/**
 * The main-thread profiles in a directory, oldest first. Node names them
 * CPU.<date>.<time>.<pid>.<thread>.<sequence>.cpuprofile; other threads (tsx's module-loader
 * thread) write their own, which are left out.
 */
export function profilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(name))
    .sort()
    .map((name) => join(dir, name));
}

export function describeProfile(summary: ProfileSummary): string[] {
  const kinds = summary.byKind
    .filter((share) => share.ms >= 0.05 * summary.totalMs || share === summary.byKind[0])
    .map((share) => `${share.name} ${share.ms.toFixed(1)} ms (${share.percent.toFixed(0)}%)`)
    .join("; ");
  const top = summary.topFunctions
    .slice(0, 5)
    .map((share) => `\`${share.name}\` ${share.ms.toFixed(1)} ms${share.via ? ` (${share.via.percent.toFixed(0)}% of it under \`${share.via.name}\`)` : ""}`)
    .join(", ");
  const perRequest = summary.requests ? ` ${summary.requests.toLocaleString("en-US")} requests served: ${((1000 * summary.busyMs) / summary.requests).toFixed(1)} µs busy per request.` : "";
  return [
    `${summary.subject}: ${summary.totalMs.toFixed(0)} ms sampled (\`${summary.file}\`), ${summary.busyMs.toFixed(0)} ms of it busy.${perRequest} By kind: ${kinds}.`,
    `Most self time: ${top}.`,
  ];
}
