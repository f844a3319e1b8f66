// The one order for text across Keybridge: by UTF-16 code unit, as `<` compares strings. Unlike
// localeCompare it is the same on every machine, so sorted documents, keys and lists are
// byte-identical wherever they are written.
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
