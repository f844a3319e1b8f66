// The `::command::` lines a step prints on stdout, which the runner turns into log features:
// masks, annotations, groups. Escaping follows the runner's rules so that any text survives.
import { neutralizeCommands } from "../../policy/render/sanitize.ts";

type Properties = Readonly<Record<string, string>>;

/** %, CR and LF would end or corrupt a command line; the runner decodes them back. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function issueCommand(command: string, message: string, properties: Properties = {}): void {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(",");
  process.stdout.write(`::${command}${props ? ` ${props}` : ""}::${escapeData(message)}\n`);
}

/** From now on the runner replaces `value` with *** in every log line. */
export function addMask(value: string): void {
  if (value !== "") issueCommand("add-mask", value);
}

export function info(message: string): void {
  process.stdout.write(`${neutralizeCommands(message)}\n`);
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
