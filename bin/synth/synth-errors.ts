// What went wrong in the user's app, as one line per problem, each starting with its code
// (KB_SYNTH_APP_FAILED for the app's own failures, syntax errors among them), naming the file and
// line where the app's own code failed. No stack trace.
import { spawnSync } from "node:child_process";
import { findSourceMap } from "node:module";
import { relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describeError, KeybridgeError } from "../../policy/errors/keybridge-error.ts";

const callSites = new WeakMap<object, NodeJS.CallSite[]>();

/**
 * cdktf captures a stack trace for every token it creates, and Node maps each frame through source
 * maps when they are on: a tenth of synth time for large apps (profiled). This formatter keeps V8's
 * plain format and the call sites, so source maps stay on (Node caches each module's map as it
 * loads) and only the frame an error is reported at is mapped.
 */
export function keepStackTracesCheap(): void {
  process.setSourceMapsEnabled(true);
  Error.prepareStackTrace = (error: Error, sites: NodeJS.CallSite[]) => {
    callSites.set(error, sites);
    return [`${error.name}: ${error.message}`, ...sites.map((site) => `    at ${String(site)}`)].join("\n");
  };
}

function displayPath(file: string): string {
  const path = file.startsWith("file:") ? fileURLToPath(file) : file;
  const shown = relative(process.cwd(), path);
  return shown.startsWith(`..${sep}`) ? path : shown;
}

const outsideTheApp = (file: string) => file.startsWith("node:") || file.includes(`${sep}node_modules${sep}`) || file.includes("/node_modules/");

/** tsx runs a CommonJS-mode .ts file from a data: URL that names the file in its filePath parameter. */
function sourceFileOf(file: string): string {
  if (!file.startsWith("data:")) return file;
  const named = /[?&]filePath=([^&]+)/.exec(file);
  return named ? decodeURIComponent(named[1]!).replace(/\?namespace=.*$/, "") : file;
}

/** Where the user's own code failed: the first frame outside node_modules and Node, mapped to its source. */
function appLocation(error: Error): string | undefined {
  void error.stack; // formats the trace, which records the call sites
  for (const site of callSites.get(error) ?? []) {
    const file = site.getFileName();
    const line = site.getLineNumber();
    if (!file || line === null || outsideTheApp(file)) continue;
    const entry = findSourceMap(file)?.findEntry(line - 1, (site.getColumnNumber() ?? 1) - 1);
    if (entry && "originalSource" in entry) return `${displayPath(entry.originalSource)}:${entry.originalLine + 1}`;
    // Without a source map the line is the transformed code's: name the file only.
    if (file.startsWith("data:")) return displayPath(sourceFileOf(file));
    return `${displayPath(file)}:${line}`;
  }
  return undefined;
}

/** esbuild (through tsx) reports "Transform failed with N errors:" and then one "file:line:col: ERROR: text" per error (0-based column). */
function transformErrors(message: string): string[] {
  return message
    .split("\n")
    .map((line) => /^(.+?):(\d+):(\d+): ERROR: (.+)$/.exec(line.trim()))
    .filter((match) => match !== null)
    .map(([, file, line, column, text]) => `KB_SYNTH_APP_FAILED: ${displayPath(file!)}:${line}:${Number(column) + 1}: syntax error: ${text}`);
}

/**
 * Node's parse errors of ES modules do not say where they are; `node --check` on the app does
 * (its first stderr line is "file:line"). A parse error in a file the app imports is named as such.
 */
function parseErrorLocation(app: string): string {
  const check = spawnSync(process.execPath, ["--check", app], { encoding: "utf8", timeout: 30_000 });
  const head = /^(.+):(\d+)$/.exec(check.stderr.split("\n")[0] ?? "");
  return check.status !== 0 && head ? `${displayPath(head[1]!)}:${head[2]}` : `a file ${displayPath(app)} imports`;
}

/** cdktf reports failed validations as one error with a line per problem, "[construct path] KB_…: message": keep those lines, code first. */
function validationLines(message: string): string[] {
  return message.split("\n").map((line) => line.trim()).filter((line) => /^\[.+\]/.test(line))
    .map((line) => line.replace(/^(\[[^\]]+\]) (KB_[A-Z0-9_]+): /, "$2: $1 "));
}

export function describeAppFailure(error: unknown, app: string): string[] {
  if (error instanceof KeybridgeError) return describeError(error).split("\n");
  if (!(error instanceof Error)) return [`KB_SYNTH_APP_FAILED: ${displayPath(app)}: ${String(error)}`];
  const firstLine = error.message.split("\n")[0] ?? "";
  if (firstLine.startsWith("Transform failed")) {
    const lines = transformErrors(error.message);
    if (lines.length > 0) return lines;
  }
  const validation = validationLines(error.message);
  if (validation.length > 0) return validation;
  if (error.name === "SyntaxError" && !appLocation(error)) return [`KB_SYNTH_APP_FAILED: ${parseErrorLocation(app)}: syntax error: ${firstLine}`];
  const where = appLocation(error) ?? displayPath(app);
  return [`KB_SYNTH_APP_FAILED: ${where}: ${error.name}: ${firstLine}`];
}
