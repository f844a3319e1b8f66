// LIST on a key/value engine: the names directly under a prefix, folders ending in "/".

export function listChildren(keys: Iterable<string>, prefix: string): { keys: string[] } {
  const names = new Set<string>();
  for (const key of keys) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const slash = rest.indexOf("/");
    names.add(slash < 0 ? rest : rest.slice(0, slash + 1));
  }
  names.delete("");
  return { keys: [...names].sort() };
}
