// Limits on JSON that arrives from a client, checked on the text before it is parsed, so that a
// value no later step can handle (a KV write nested 200,000 levels deep: every read of it failed
// with a RangeError) is refused at the door and never stored. The depth limit is Vault's default
// `max_json_depth` (500, the listener setting since Vault 1.16.25/1.18.14/1.19.9/1.20.3).

export const maxJsonDepth = 500;

/** The deepest nesting of objects and arrays in a JSON text (strings skipped), stopping past `limit`. */
export function jsonDepth(text: string, limit = maxJsonDepth): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c) index++; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
      continue;
    }
    if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (char === 0x7d || char === 0x5d) depth--;
  }
  return deepest;
}

/** The one line a refusal says: the limit and what to do, never the input. */
export function tooDeepMessage(limit = maxJsonDepth): string {
  return `JSON input nested deeper than ${limit} levels: flatten the value or store it as a string`;
}
