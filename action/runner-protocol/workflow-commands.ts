// The `::command::` lines a step prints on stdout, which the runner turns into log features:
// masks, annotations, groups. Escaping follows the runner's rules so that any text survives.
import { writeSync } from "node:fs";
import { neutralizeCommands } from "../../policy/render/sanitize.ts";

type Properties = Readonly<Record<string, string>>;

type Print = (text: string) => void;
const throughProcessStdout: Print = (text) => {
  process.stdout.write(text);
};
let print: Print = throughProcessStdout;

/**
 * For a step's own process (the Action's entries call it first): print straight to file
 * descriptor 1. process.stdout's first use on a pipe, which is what the runner gives a step, builds
 * a net.Socket and loads node's net and stream modules, about 3 ms of a step that fails fast on a
 * missing input. On Linux, process.stdout writes to a pipe synchronously too, so no line moves.
 * The lines of one turn of the event loop go out in one write, when the turn ends (or the process
 * exits): each write wakes the runner, which reads and scans it, and the lines keep their order.
 * Tests keep process.stdout, where they capture a step's lines.
 */
export function printToFileDescriptor(): void {
  print = queueForFd1;
  process.once("exit", flushToFd1);
}

let pendingForFd1 = "";

function queueForFd1(text: string): void {
  if (pendingForFd1 === "") process.nextTick(flushToFd1);
  pendingForFd1 += text;
}

function flushToFd1(): void {
  const text = pendingForFd1;
  pendingForFd1 = "";
  if (text !== "") printToFd1(text);
}

function printToFd1(text: string): void {
  const bytes = Buffer.from(text, "utf8");
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(1, bytes, written);
  } catch {
    // A pipe left non-blocking answers EAGAIN when full: process.stdout waits for it instead, and
    // takes this line's rest and every later line, as it did before.
    print = throughProcessStdout;
    process.stdout.write(bytes.subarray(written));
  }
}

/** %, CR and LF would end or corrupt a command line; the runner decodes them back. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function commandLine(command: string, message: string, properties: Properties = {}): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(",");
  return `::${command}${props ? ` ${props}` : ""}::${escapeData(message)}\n`;
}

export function issueCommand(command: string, message: string, properties: Properties = {}): void {
  print(commandLine(command, message, properties));
}

/** From now on the runner replaces `value` with *** in every log line. */
export function addMask(value: string): void {
  addMasks([value]);
}

/** addMask for many values in one write: a write to the runner's pipe costs a system call each. */
export function addMasks(values: Iterable<string>): void {
  let lines = "";
  for (const value of values) if (value !== "") lines += commandLine("add-mask", value);
  if (lines !== "") print(lines);
}

export function info(message: string): void {
  print(`${neutralizeCommands(message)}\n`);
}

export function debug(message: string): void {
  issueCommand("debug", message);
}

export function warning(message: string): void {
  issueCommand("warning", message);
}

export function error(message: string): void {
  issueCommand("error", message);
}
