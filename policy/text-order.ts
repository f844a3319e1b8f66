// The one order for text across Keybridge: by UTF-16 code unit, as `<` compares strings. Unlike
// localeCompare it is the same on every machine, so sorted documents, keys and lists are
// byte-identical wherever they are written. With it, the sort and the equality of lists of text
// that plans run for every grant, written without a call per item.
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `list` sorted in place by compareText. Short lists (a principal's claim names, a grant's paths)
 * by insertion: Array#sort's setup costs more than sorting a handful, and plans sort thousands.
 */
export function sortTexts(list: string[]): string[] {
  if (list.length > 12) return list.sort(compareText);
  for (let i = 1; i < list.length; i++) {
    const item = list[i]!;
    let j = i - 1;
    for (; j >= 0 && list[j]! > item; j--) list[j + 1] = list[j]!;
    list[j + 1] = item;
  }
  return list;
}

/** Each item after the one before it (so each only once), with no call per item: paths, claims and names of every grant. */
export function textsInOrder(list: readonly string[]): boolean {
  for (let i = 1; i < list.length; i++) if (!(list[i - 1]! < list[i]!)) return false;
  return true;
}

/** Two lists of text, equal item for item, with no call per item: paths, capabilities, claim values. */
export function sameTexts(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
