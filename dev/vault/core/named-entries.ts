// The routes of a secrets engine's named entries (database connections and roles, PKI roles):
// LIST PREFIX/ answers the names, and PREFIX/NAME is read, written (create or update, told apart
// by the entry's existence, as Vault's existence checks do) and deleted.
import type { Handler, Route } from "./backend.ts";

/** An entry's name as Vault's framework matches it: word characters, with . and - inside. */
export const entryName = String.raw`(?<name>\w(?:[\w.-]*\w)?)`;

export function namedEntryRoutes(prefix: string, entries: Map<string, unknown>, handlers: { readonly read: Handler; readonly write: Handler }): Route[] {
  return [
    { pattern: new RegExp(String.raw`^${prefix}\/?$`), list: () => ({ data: { keys: [...entries.keys()].sort() } }) },
    {
      pattern: new RegExp(String.raw`^${prefix}\/${entryName}$`),
      exists: (params) => entries.has(params.name!),
      read: handlers.read,
      write: handlers.write,
      delete: (request) => void entries.delete(request.params.name!),
    },
  ];
}
