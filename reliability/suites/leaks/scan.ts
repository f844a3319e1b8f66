// What "masked" and "never shown" mean for one value, and where the suite looks for it.
//
// Lines are cut the way the runner reads a step's output (.NET ReadLine: LF, CRLF and a lone CR all
// end a line; the runner masks workflow secrets line by line after splitting at '\r' and '\n'),
// so every line of two or more visible characters must be registered, as must the whole value and
// each requested encoding of it. One-character lines cannot be masked by design (action/masking.ts).
import { parseWorkflowCommand } from "../../../testkit/runner-emulator/workflow-commands.ts";
import { maskText } from "../../../testkit/runner-emulator/masked-log.ts";
import type { StepResult } from "../../../testkit/runner-emulator/job.ts";
import { encodings } from "./corpus.ts";

export const requestedEncodings = ["base64", "base64url", "url", "json"] as const;

/** The runner's shortest mask: shorter would blank a character everywhere. */
const shortest = 2;

interface Required {
  readonly label: string;
  /** Any of these registered covers the part (a line, or the line without its edge spaces). */
  readonly any: readonly string[];
}

interface Forbidden {
  readonly label: string;
  readonly text: string;
}

export interface ValueParts {
  readonly required: readonly Required[];
  readonly forbidden: readonly Forbidden[];
  /** Lines (of a multi-line value) with one visible character: a known limit. */
  readonly oneCharacterLines: number;
  /** The whole value has fewer than two visible characters: a known limit. */
  readonly unmaskable: boolean;
  readonly lines: number;
}

const visible = (text: string) => text.trim().length >= shortest;

interface Line {
  readonly text: string;
  /** What ended it: "LF", "CRLF", "CR" (a lone carriage return) or "" for the last line. */
  readonly end: string;
}

export function runnerLines(value: string): Line[] {
  const lines: Line[] = [];
  const pattern = /\r\n|\r|\n/g;
  let start = 0;
  for (let match = pattern.exec(value); match; match = pattern.exec(value)) {
    lines.push({ text: value.slice(start, match.index), end: match[0] === "\r\n" ? "CRLF" : match[0] === "\r" ? "CR" : "LF" });
    start = match.index + match[0].length;
  }
  lines.push({ text: value.slice(start), end: "" });
  return lines;
}

export function partsOf(value: string, encodingNames: readonly (keyof typeof encodings)[] = requestedEncodings): ValueParts {
  const required: Required[] = [];
  const forbidden: Forbidden[] = [];
  const lines = runnerLines(value);
  // Nothing of a value with fewer than two visible characters can be masked, and its encodings
  // ("IA" for a space) are too short to mean anything when found in a log.
  if (!visible(value)) return { required, forbidden, oneCharacterLines: 0, unmaskable: true, lines: lines.length };
  required.push({ label: "the whole value", any: [value] });
  forbidden.push({ label: "the whole value", text: value });
  let oneCharacterLines = 0;
  if (lines.length > 1) {
    lines.forEach((line, index) => {
      const where = `line ${index + 1} of ${lines.length}${line.end === "CR" || lines[index - 1]?.end === "CR" ? " (a lone CR ends or starts it)" : ""}`;
      if (visible(line.text)) {
        required.push({ label: where, any: [line.text, line.text.trim()] });
        forbidden.push({ label: where, text: line.text }, { label: `${where}, trimmed`, text: line.text.trim() });
      } else if (line.text.trim().length === 1) oneCharacterLines += 1;
    });
  }
  for (const name of encodingNames) {
    const encoded = encodings[name](value);
    if (!visible(encoded) || encoded === value) continue;
    required.push({ label: `its ${name} form`, any: [encoded] });
    forbidden.push({ label: `its ${name} form`, text: encoded });
  }
  const unique = new Map<string, Forbidden>();
  for (const part of forbidden) if (!unique.has(part.text)) unique.set(part.text, part);
  return { required, forbidden: [...unique.values()], oneCharacterLines, unmaskable: false, lines: lines.length };
}

export interface Source {
  readonly where: string;
  readonly text: string;
}

/**
 * What a step shows: stdout lines that are not workflow commands, the message (and properties) of
 * every command but ::add-mask:: (errors, warnings, notices, debug), and stderr.
 */
export function printedSources(step: Pick<StepResult, "stdout" | "stderr">, prefix: string): Source[] {
  const plain: string[] = [];
  const messages: string[] = [];
  for (const line of step.stdout.split("\n")) {
    const command = parseWorkflowCommand(line);
    if (!command) plain.push(line);
    else if (command.command !== "add-mask") messages.push(command.data, ...Object.values(command.properties));
  }
  return [
    { where: `${prefix} stdout`, text: plain.join("\n") },
    { where: `${prefix} ::error::/::warning:: messages`, text: messages.join("\n") },
    { where: `${prefix} stderr`, text: step.stderr },
  ];
}

/** Every string (keys and leaves) of a JSON-lines file, decoded, so an escaped value is found too. */
export function jsonLinesText(text: string): string {
  const strings: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node === "string") strings.push(node);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === "object") {
      for (const [key, item] of Object.entries(node)) {
        strings.push(key);
        walk(item);
      }
    }
  };
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      walk(JSON.parse(line));
    } catch {
      strings.push(line);
    }
  }
  return strings.join("\n");
}

/** Where each forbidden part of `parts` shows up: "line 2 of 3 in main stdout". */
export function findLeaks(parts: ValueParts, sources: readonly Source[]): string[] {
  const found: string[] = [];
  for (const source of sources) {
    if (source.text === "") continue;
    for (const part of parts.forbidden) {
      if (source.text.includes(part.text)) found.push(`${part.label} in ${source.where}`);
    }
  }
  return found;
}

export interface MaskLog {
  /** Mask text → index of the stdout line that first registered it. */
  readonly masks: ReadonlyMap<string, number>;
  /** Index of the "Read N of M paths" line, or -1. */
  readonly readLine: number;
  /** The first stdout line after the reads that is not an ::add-mask:: command (it could carry a value). */
  readonly firstOutput: number;
  readonly count: number;
}

export function maskLog(stdout: string): MaskLog {
  const lines = stdout.split("\n");
  const masks = new Map<string, number>();
  let readLine = -1;
  let firstOutput = -1;
  let count = 0;
  lines.forEach((line, index) => {
    const command = parseWorkflowCommand(line);
    if (command?.command === "add-mask") {
      count += 1;
      if (!masks.has(command.data)) masks.set(command.data, index);
      return;
    }
    if (readLine === -1 && !command && /^Read \d+ of \d+ paths?$/.test(line)) readLine = index;
    else if (readLine !== -1 && firstOutput === -1 && line !== "") firstOutput = index;
  });
  return { masks, readLine, firstOutput: firstOutput === -1 ? lines.length : firstOutput, count };
}

/** Parts of the value that were not registered before the first output that could carry them. */
export function unmaskedParts(parts: ValueParts, log: MaskLog): string[] {
  if (log.readLine === -1) return ["the step printed no \"Read N of M paths\" line, so the order of masks and output is unknown"];
  const problems: string[] = [];
  for (const part of parts.required) {
    const at = Math.min(...part.any.map((text) => log.masks.get(text) ?? Infinity));
    if (at === Infinity) problems.push(`${part.label} was never registered with ::add-mask::`);
    else if (at > log.firstOutput) problems.push(`${part.label} was registered only after the first output line`);
  }
  return problems;
}

/**
 * What a later step that prints the value (`echo "$VALUE"`) would leave visible: its output cut into
 * lines as the runner cuts them, each line masked with the masks registered so far.
 */
export function visibleWhenPrinted(value: string, parts: ValueParts, masks: Iterable<string>): string[] {
  if (parts.unmaskable) return [];
  // Only a mask that occurs in the value can match inside one of its lines.
  const relevant = [...masks].filter((mask) => mask !== "" && value.includes(mask));
  const shown = runnerLines(`${value}\n`).map((line) => maskText(line.text, relevant)).join("\n");
  return parts.forbidden
    .filter((part) => (part.label === "the whole value" || part.label.startsWith("line ")) && !/[\r\n]/.test(part.text) && shown.includes(part.text))
    .map((part) => `a later step printing it would show ${part.label}`);
}

/**
 * The string leaves of a JSON object or array value (none for other values). Kept apart from the
 * Action's own walk (action/masking.ts) on purpose: the suite's oracle must not share its bugs.
 */
export function jsonStringLeaves(value: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return [];
  }
  const leaves: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node === "string") leaves.push(node);
    else if (node !== null && typeof node === "object") Object.values(node).forEach(walk);
  };
  if (parsed !== null && typeof parsed === "object") walk(parsed);
  return leaves;
}

export function isJsonObject(value: string): boolean {
  return jsonStringLeaves(value).length > 0;
}

/**
 * What a later step that prints one field of a JSON value (`jq -r .password`) would leave visible:
 * each string leaf long enough to mask, printed alone, masked with the registered masks.
 */
export function leavesVisibleWhenPrinted(value: string, masks: Iterable<string>): string[] {
  const registered = [...masks];
  return jsonStringLeaves(value)
    .filter((leaf) => visible(leaf))
    .flatMap((leaf, index) => visibleWhenPrinted(leaf, partsOf(leaf, []), registered).map((problem) => `JSON leaf ${index + 1}: ${problem}`));
}
