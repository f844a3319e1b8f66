// The one order for text across Keybridge: by UTF-16 code unit, as `<` compares strings. Unlike
// localeCompare it is the same on every machine, so sorted documents, keys and lists are
// byte-identical wherever they are written.
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
