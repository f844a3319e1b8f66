// Fits sections of items into a character budget. Items are whole (a list entry, a whole table):
// once one does not fit, it and everything after it are left out, and each section that was
// opened is closed, so the markdown stays balanced at any size.

export interface Item {
  /** A function is called only while the budget has room: a cut plan does not render what it leaves out. */
  readonly text: string | (() => string);
  /** The plan changes this item reports, to count what was left out. */
  readonly changes: readonly number[];
}

export interface Section {
  readonly summary: string;
  readonly items: readonly Item[];
}

export interface Assembled {
  readonly text: string;
  readonly omittedItems: number;
  /** Changes none of whose items made it in. */
  readonly omittedChanges: number;
}

const open = (summary: string) => `<details><summary>${summary}</summary>\n\n`;
const close = "\n</details>\n\n";

export function assemble(sections: readonly Section[], budget: number): Assembled {
  let text = "";
  let full = false;
  const shown = new Set<number>();
  const left = new Set<number>();
  let omittedItems = 0;
  // Indexed loops: a plan of thousands of changes has thousands of items, most of them cut.
  for (let s = 0; s < sections.length; s++) {
    const section = sections[s]!;
    let opened = false;
    for (let i = 0; i < section.items.length; i++) {
      const item = section.items[i]!;
      const piece = full ? "" : (opened ? "" : open(section.summary)) + (typeof item.text === "string" ? item.text : item.text());
      const fits = !full && text.length + piece.length + close.length <= budget;
      if (fits) {
        text += piece;
        opened = true;
      } else {
        full = true;
        omittedItems += 1;
      }
      const changes = fits ? shown : left;
      for (let c = 0; c < item.changes.length; c++) changes.add(item.changes[c]!);
    }
    if (opened) text += close;
  }
  let omittedChanges = 0;
  for (const change of left) if (!shown.has(change)) omittedChanges += 1;
  return { text, omittedItems, omittedChanges };
}
