// Values the stack writer (provider/stack-writer.ts) may write as they are, with JSON.stringify:
// plain JSON with keys sorted all the way down, no empty object or list and no integer-like key.
// Our elements mark their bodies so when they build them (provider/settled-elements.ts).
const sortedValues = new WeakSet<object>();

/** Marks a value that holds those promises. */
export function markSorted<T extends object>(value: T): T {
  sortedValues.add(value);
  return value;
}

export function isMarkedSorted(value: object): boolean {
  return sortedValues.has(value);
}
