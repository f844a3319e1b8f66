// Shared by every mode's inputs: reading them as the runner passes them, the defaults action.yml
// declares, and zod steps that turn an input's text into a value or into a one-line problem that
// names the input, the bad value (never a secret one) and the fix.
import * as z from "zod/mini";
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";
import { getInput } from "./runner-protocol/file-commands.ts";
import { declaredDefaults } from "./input-table.ts";

/** Defaults for inputs left empty: those action.yml declares, from the input table. */
export const inputDefaults: Readonly<Record<string, string>> = declaredDefaults;

/** A problem with one input's text: `problem` follows the quoted value, `fix` says what to write. */
export class InputProblem extends KeybridgeError {
  constructor(problem: string, fix: string) {
    super("KB_INPUT_INVALID", `${problem}; ${fix}`);
  }
}

export function parsedAs<T>(parse: (text: string) => T) {
  return z.pipe(
    z.string(),
    z.transform((text: string, ctx) => {
      try {
        return parse(text);
      } catch (error) {
        if (!(error instanceof KeybridgeError)) throw error;
        ctx.issues.push({ code: "custom", input: text, message: error.message });
        return z.NEVER;
      }
    }),
  );
}

export function oneOf<const T extends string>(values: readonly T[]) {
  return parsedAs((text) => {
    if ((values as readonly string[]).includes(text)) return text as T;
    throw new InputProblem("is not supported", `use one of ${values.join(", ")}`);
  });
}

export const boolean = parsedAs((text) => {
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === "true";
  throw new InputProblem("is not a boolean", "write true or false");
});

export function integer(min: number, max: number) {
  return parsedAs((text) => {
    const value = Number(text);
    if (/^\d+$/.test(text) && value >= min && value <= max) return value;
    throw new InputProblem(`is not a whole number from ${min} to ${max}`, `write for example ${min === 0 ? 3 : min * 30}`);
  });
}

export const optionalText = parsedAs((text) => (text === "" ? undefined : text));

function quoted(name: string, value: string, secretInputs: ReadonlySet<string>): string {
  if (secretInputs.has(name)) return "(value hidden)";
  const firstLine = value.split("\n")[0] ?? "";
  return `"${firstLine.length > 80 ? `${firstLine.slice(0, 80)}…` : firstLine}"`;
}

/** Reads `names` as the runner passes them, defaults applied. */
export function readRawInputs(names: readonly string[]): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const name of names) {
    const value = getInput(name);
    raw[name] = value === "" && name in inputDefaults ? inputDefaults[name]! : value;
  }
  return raw;
}

/**
 * Parses `raw` with `schema`; throws for the first problem. `shownAs` names the input the user
 * wrote when a key of the schema has several spellings.
 */
export function parseInputs<T extends z.ZodMiniType>(schema: T, raw: Record<string, string>, secretInputs: ReadonlySet<string> = new Set(), shownAs: (name: string) => string = (name) => name): z.output<T> {
  const result = z.safeParse(schema, raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = shownAs(String(issue.path[0]));
  const message = issue.message.startsWith("Input ") ? issue.message : `Input ${name}: ${quoted(name, raw[String(issue.path[0])] ?? "", secretInputs)} ${issue.message}`;
  throw new KeybridgeError("KB_INPUT_INVALID", message);
}

/** Reads `names` (defaults applied) and parses them with `schema`; throws for the first problem. */
export function readInputs<T extends z.ZodMiniType>(schema: T, names: readonly string[], secretInputs: ReadonlySet<string> = new Set()): z.output<T> {
  return parseInputs(schema, readRawInputs(names), secretInputs);
}
