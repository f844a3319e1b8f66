// Words made when first read. A plan words every change and finding, but a pull-request comment
// shows a few hundred of ten thousand: the rest are never made. The words are own, enumerable
// properties (spread, JSON and deep equality see them as plain values); once made they are kept on
// the object in place of the getter. The getters are shared and the makers sit behind a symbol, so
// the objects keep V8's fast layout (a getter in an object literal would make each one a
// dictionary, several times larger and slower to build).
import type { Phrase } from "./phrase.ts";

const makers = Symbol("word makers");

type Makers = Readonly<Record<string, () => Phrase>>;

const getters = new Map<string, (this: { readonly [makers]: Makers }) => Phrase>();

function getterFor(key: string): (this: { readonly [makers]: Makers }) => Phrase {
  let getter = getters.get(key);
  if (!getter) getters.set(key, (getter = wordGetter(key)));
  return getter;
}

function wordGetter(key: string): (this: { readonly [makers]: Makers }) => Phrase {
  return function () {
    const value = this[makers][key]!();
    Object.defineProperty(this, key, { value, enumerable: true, configurable: true, writable: false });
    return value;
  };
}

/** `target` with `words`' keys as properties whose phrases are made on first read. */
export function withWords<T extends object, K extends string>(target: T, words: Readonly<Record<K, () => Phrase>>): T & Readonly<Record<K, Phrase>> {
  Object.defineProperty(target, makers, { value: words });
  // __defineGetter__ makes the same enumerable, configurable accessor as defineProperty, with no
  // descriptor object to read: about 40% less per object, and plans word tens of thousands.
  const withGetters = target as T & { __defineGetter__(key: string, getter: () => unknown): void };
  const keys = Object.keys(words);
  // Indexed: plans word tens of thousands of objects, mostly before this is optimized.
  for (let i = 0; i < keys.length; i++) withGetters.__defineGetter__(keys[i]!, getterFor(keys[i]!));
  return target as T & Readonly<Record<K, Phrase>>;
}
