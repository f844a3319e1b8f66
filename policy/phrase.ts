// A sentence for people, kept as parts so that names taken from a document (grant ids, claims,
// paths) stay apart from our own words: each renderer escapes them its own way, and a crafted name
// can never pass for markup.

/** A name or value from a document: shown as code, always escaped. */
export interface CodePart {
  readonly code: string;
}

/** Free prose from a document (an acknowledgement's reason): escaped, not shown as code. */
export interface QuotePart {
  readonly quote: string;
}

/** Plain strings are our own words and are trusted as written. */
export type PhrasePart = string | CodePart | QuotePart;
export type Phrase = readonly PhrasePart[];

export const code = (value: string): CodePart => ({ code: value });
export const quote = (value: string): QuotePart => ({ quote: value });

type Slot = string | number | PhrasePart | Phrase;

/**
 * Builds a phrase: the template's literal text is ours, an interpolated string is a NAME (shown as
 * code), a number is ours, a part or phrase is spliced in. Names are the safe default.
 */
export function phrase(strings: TemplateStringsArray, ...slots: Slot[]): Phrase {
  const parts: PhrasePart[] = [];
  strings.forEach((text, i) => {
    if (text !== "") parts.push(text);
    if (i >= slots.length) return;
    const slot = slots[i]!;
    if (typeof slot === "string") parts.push(code(slot));
    else if (typeof slot === "number") parts.push(String(slot));
    else if (Array.isArray(slot)) parts.push(...(slot as Phrase));
    else parts.push(slot as PhrasePart);
  });
  return parts;
}

/** "a", "a and b", "a, b and c". */
export function joinPhrases(items: readonly Phrase[], separator: Phrase = [", "], last: Phrase = [" and "]): Phrase {
  // Plans join phrases by the ten thousand: one array, no intermediate ones.
  const parts: PhrasePart[] = [];
  items.forEach((item, i) => {
    if (i > 0) parts.push(...(i === items.length - 1 ? last : separator));
    parts.push(...item);
  });
  return parts;
}

/** Up to `limit` names as code, then "and N more". */
export function nameList(names: readonly string[], limit = 3, last = " and "): Phrase {
  const shown = Math.min(names.length, limit);
  const rest = names.length - shown;
  const parts: PhrasePart[] = [];
  for (let i = 0; i < shown; i++) {
    if (i > 0) parts.push(rest === 0 && i === shown - 1 ? last : ", ");
    parts.push(code(names[i]!));
  }
  if (rest > 0) parts.push(...(shown > 0 ? [last] : []), `${rest} more`);
  return parts;
}

/** The phrase as one plain string, names as they are (for JSON and tests). */
export function plainText(value: Phrase): string {
  return value.map((part) => (typeof part === "string" ? part : "code" in part ? part.code : part.quote)).join("");
}
