// Which audit entries read the leaked secret. A path is given as `keybridge access` takes it (the
// API path, `secret/data/ml/prod/db`) or as people say it (`secret/ml/prod/db`); the audit log
// holds API paths, so a path without a data/ segment also matches its KV v2 reads with data/
// after any of its leading segments (the mount may be nested). Only reads count: a write or a
// metadata read does not hand out the value.
import type { AuditRead } from "./audit-line.ts";

export interface ReadMatcher {
  /** The API paths whose reads hand out the secret. */
  readonly paths: ReadonlySet<string>;
  matches(entry: Pick<AuditRead, "operation" | "path">): boolean;
}

export function readMatcher(given: string): ReadMatcher {
  const path = given.trim().replace(/^\/+|\/+$/g, "");
  const segments = path.split("/");
  const paths = new Set([path]);
  if (!segments.includes("data")) {
    for (let split = 1; split < segments.length; split++) paths.add([...segments.slice(0, split), "data", ...segments.slice(split)].join("/"));
  }
  return { paths, matches: (entry) => entry.operation === "read" && paths.has(entry.path) };
}

/** A dynamic database credential (`<mount>/creds/<role>`): its leases are revoked by prefix. */
export function isDatabaseCreds(entry: Pick<AuditRead, "mountType" | "path">): boolean {
  return entry.mountType === "database" && /\/creds\/[^/]+$/.test(entry.path);
}
