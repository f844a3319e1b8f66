// Names from a document or a plan file may hold anything: control characters, line breaks, bidi
// overrides that reorder what a reviewer sees. Before any renderer shows one, those become visible
// placeholders and the name is cut to a readable length.

const lineBreaks = /\r\n|[\n\r\u2028\u2029]/g;
// C0/C1 controls, bidi embeddings/overrides/isolates, zero-width and BOM characters.
const invisible = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

export function visible(value: string, maxChars = 120): string {
  const cleaned = value.replace(lineBreaks, "\u2424").replace(invisible, "\ufffd");
  const chars = [...cleaned];
  return chars.length > maxChars ? `${chars.slice(0, maxChars - 1).join("")}…` : cleaned;
}

/**
 * A plain log line never starts a workflow command: the GitHub runner reads a line that starts
 * with `::` once trimmed, or holds `##[` anywhere (the older form), as one, from any step's stdout
 * or stderr. In text from elsewhere (a server's message, a document's or a secret's names) a
 * zero-width space, which the runner does not trim, breaks both.
 */
export function neutralizeCommands(text: string): string {
  return text.replace(/^([\s\u0085]*):(?=:)/gmu, "$1:\u200b").replace(/##\[/g, "##\u200b[");
}
