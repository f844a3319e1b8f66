// Fits sections of items into a character budget. Items are whole (a list entry, a whole table):
// once one does not fit, it and everything after it are left out, and each section that was
// opened is closed, so the markdown stays balanced at any size.

/**
 * A folded section: its items are made one at a time, and only while the budget has room, so a
 * cut plan of thousands of changes makes none of those it leaves out.
 */
export interface Section {
  readonly summary: string;
  readonly size: number;
  /** The text of item `index`. */
  text(index: number): string;
  /** The plan change item `index` reports, if any: to count the changes left out. */
  change?(index: number): number;
}

/** A section of items already written. */
export const listSection = (summary: string, items: readonly string[]): Section => ({ summary, size: items.length, text: (index) => items[index]! });

export interface Assembled {
  readonly text: string;
  readonly omittedItems: number;
  /** Changes none of whose items made it in. */
  readonly omittedChanges: number;
}

const open = (summary: string) => `<details><summary>${summary}</summary>\n\n`;
const close = "\n</details>\n\n";

/** `changeCount`: how many changes items may report (their indexes are below it). */
export function assemble(sections: readonly Section[], budget: number, changeCount = 0): Assembled {
  let text = "";
  let omittedItems = 0;
  // 1: a change one of the items shown reports; 2: only left-out items report it.
  const changes = new Uint8Array(changeCount);
  // Indexed loops: a plan of thousands of changes has thousands of items, most of them cut.
  for (let s = 0; s < sections.length; s++) {
    const section = sections[s]!;
    let opened = false;
    for (let i = 0; i < section.size; i++) {
      const piece = omittedItems > 0 ? undefined : (opened ? "" : open(section.summary)) + section.text(i);
      const fits = piece !== undefined && text.length + piece.length + close.length <= budget;
      if (fits) {
        text += piece;
        opened = true;
      } else {
        omittedItems += 1;
      }
      const change = section.change?.(i);
      if (change !== undefined) changes[change] = fits ? 1 : changes[change] === 1 ? 1 : 2;
    }
    if (opened) text += close;
  }
  let omittedChanges = 0;
  for (let c = 0; c < changes.length; c++) if (changes[c] === 2) omittedChanges += 1;
  return { text, omittedItems, omittedChanges };
}
