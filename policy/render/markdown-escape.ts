// Markdown for names and prose taken from documents. A name becomes inline code: a plain backtick
// span when it holds only harmless characters, otherwise <code> with every character that markdown
// or HTML could act on written as a numeric entity. Entities are never parsed as markup and hold
// no raw `|`, so a crafted name cannot close a code span, a table cell or a <details>.
import type { Phrase } from "../phrase.ts";
import { visible } from "./sanitize.ts";

// Literal inside a backtick span: no backtick, pipe, angle bracket, ampersand or backslash, no
// edge spaces (a span trims them).
const harmless = /^[A-Za-z0-9._/:@*+=,{}#~"'()[\]!?;-]+(?: [A-Za-z0-9._/:@*+=,{}#~"'()[\]!?;-]+)*$/;
const special = /[&<>"'`|*_[\]()\\~#!@:$%{}=+^-]/g;

export function escapeHtml(value: string): string {
  return value.replace(special, (char) => `&#${char.codePointAt(0)};`);
}

export function inlineCode(value: string, maxChars = 120): string {
  const shown = visible(value, maxChars);
  return harmless.test(shown) ? `\`${shown}\`` : `<code>${escapeHtml(shown)}</code>`;
}

/** Free text (an acknowledgement's reason): escaped, not code. */
export function escapeProse(value: string, maxChars = 300): string {
  return escapeHtml(visible(value, maxChars));
}

export function phraseToMarkdown(value: Phrase): string {
  return value.map((part) => (typeof part === "string" ? part : "code" in part ? inlineCode(part.code) : `“${escapeProse(part.quote)}”`)).join("");
}
