// What a generated secret's values look like: a named format or an alphabet of the user's, and a
// length. Pure: the bounds and the alphabets live here so that synth (provider/) checks them with
// the same rules the rotator (client/rotation/) generates by.
import * as z from "zod/mini";

export const generatorFormats = ["hex", "base64url", "alphanumeric", "uuid"] as const;
export type GeneratorFormat = (typeof generatorFormats)[number];

/** Bounds for a length the user chooses. A uuid has its own fixed length (36). */
export const generatorLength = { shortest: 16, longest: 4096 } as const;
export const alphabetSize = { smallest: 2, largest: 256 } as const;

const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const digits = "0123456789";

/** The characters each format (but uuid) draws from. */
export const formatAlphabets: Readonly<Record<Exclude<GeneratorFormat, "uuid">, string>> = {
  hex: "0123456789abcdef",
  base64url: `${letters}${digits}-_`,
  alphanumeric: `${letters}${digits}`,
};

const length = z.number().check(z.int(), z.gte(generatorLength.shortest), z.lte(generatorLength.longest));

/** Printable ASCII but space: values that survive env files, shells and URLs' query strings when quoted. */
const alphabetCharacter = /^[\x21-\x7e]+$/;

export const FormatGenerator = z.object({ format: z.enum(generatorFormats), length: z.optional(length) });
export const AlphabetGenerator = z.object({
  alphabet: z.string().check(z.regex(alphabetCharacter, "must be printable ASCII characters without spaces")),
  length,
});
export const Generator = z.union([FormatGenerator, AlphabetGenerator]);

export type FormatGenerator = z.infer<typeof FormatGenerator>;
export type AlphabetGenerator = z.infer<typeof AlphabetGenerator>;
export type Generator = z.infer<typeof Generator>;

/** The default length of a format: 32 characters (128 bits of hex), a uuid's 36. */
export const defaultLength = 32;

/**
 * What is wrong with a generator spec, as a clause ("length 8 is below 16"), or undefined when it
 * is sound. Synth turns the clause into a KB_CONSTRUCT_INVALID line; the document's reader, into
 * KB_POLICY_INVALID.
 */
export function generatorProblem(spec: { readonly format?: string; readonly alphabet?: string; readonly length?: number }): string | undefined {
  if (spec.format !== undefined && spec.alphabet !== undefined) return "give a format or an alphabet, not both";
  if (spec.format === undefined && spec.alphabet === undefined) return `give a format (${generatorFormats.join(", ")}) or an alphabet`;
  if (spec.format !== undefined && !(generatorFormats as readonly string[]).includes(spec.format)) return `format "${spec.format}" is not one of ${generatorFormats.join(", ")}`;
  if (spec.format === "uuid" && spec.length !== undefined) return "a uuid has its fixed length of 36: leave length out";
  if (spec.alphabet !== undefined) {
    const unique = new Set(spec.alphabet);
    if (!alphabetCharacter.test(spec.alphabet)) return "the alphabet must be printable ASCII characters without spaces";
    if (unique.size !== spec.alphabet.length) return "the alphabet lists a character twice";
    if (unique.size < alphabetSize.smallest || unique.size > alphabetSize.largest) return `the alphabet has ${unique.size} characters: give ${alphabetSize.smallest} to ${alphabetSize.largest}`;
    if (spec.length === undefined) return "an alphabet needs a length";
  }
  if (spec.length !== undefined && (!Number.isInteger(spec.length) || spec.length < generatorLength.shortest || spec.length > generatorLength.longest)) {
    return `length ${spec.length} is out of bounds: give a whole number from ${generatorLength.shortest} to ${generatorLength.longest}`;
  }
  return undefined;
}

/** The alphabet and length a sound spec generates by; undefined for a uuid. */
export function generatorAlphabet(spec: Generator): { readonly alphabet: string; readonly length: number } | undefined {
  if ("alphabet" in spec) return { alphabet: spec.alphabet, length: spec.length };
  if (spec.format === "uuid") return undefined;
  return { alphabet: formatAlphabets[spec.format], length: spec.length ?? defaultLength };
}

/** "32 hex characters", "uuid", "24 characters of a 10-character alphabet": never a value. */
export function describeGenerator(spec: Generator): string {
  if ("alphabet" in spec) return `${spec.length} characters of a ${new Set(spec.alphabet).size}-character alphabet`;
  if (spec.format === "uuid") return "uuid";
  return `${spec.length ?? defaultLength} ${spec.format} characters`;
}
