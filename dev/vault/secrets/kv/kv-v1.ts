// The unversioned key/value engine (KV v1): one flat `data` map per path, replaced on write. A
// `ttl` key only sets the advisory lease_duration of reads, as in Vault.
import type { Backend } from "../../core/backend.ts";
import { badRequest } from "../../core/errors.ts";
import { tryParseDuration } from "../../core/durations.ts";
import { listChildren } from "./kv-list.ts";
import { memoryScope, plainCodec, type StateScope } from "../../../persist/state-scope.ts";

export function createKvV1(state: StateScope = memoryScope): Backend {
  const entries = state.map("entries", plainCodec<Record<string, unknown>>());
  return {
    type: "kv",
    routes: [
      {
        pattern: /^(?<path>.*)$/,
        exists: (params) => entries.has(params.path!),
        read: (request) => {
          const data = entries.get(request.params.path!);
          return data ? { data, leaseDuration: tryParseDuration(data.ttl) ?? 0 } : undefined;
        },
        write: (request) => {
          const path = request.params.path!;
          if (path === "") throw badRequest("missing path");
          if (Object.keys(request.data).length === 0) throw badRequest("missing data fields");
          if (request.data.ttl !== undefined && tryParseDuration(request.data.ttl) === undefined) {
            throw badRequest("failed to parse ttl: use seconds or a duration such as 1h");
          }
          entries.set(path, { ...request.data });
          return undefined;
        },
        delete: (request) => {
          entries.delete(request.params.path!);
          return undefined;
        },
        list: (request) => ({ data: listChildren(entries.keys(), request.params.path!) }),
      },
    ],
  };
}
