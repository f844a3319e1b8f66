// The demo's look at what a pod of a cluster would see: `keybridge sync` writes the Secrets the
// operator would create as a mounted secret volume, and this lists the Secret names, key names and
// file modes. Values stay in the 0600 files; nothing here reads them.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8).padStart(4, "0");

/** One line per Secret: its directory's mode and each key file with its mode. */
export function podFilesSummary(volume: string): string[] {
  return readdirSync(volume).sort().map((secret) => {
    const directory = join(volume, secret);
    const keys = readdirSync(directory).sort().map((key) => `${key} (${mode(join(directory, key))})`);
    return `Secret ${secret}/ (${mode(directory)}): ${keys.join(", ")}`;
  });
}
