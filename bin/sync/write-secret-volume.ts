// Writes Secrets as a pod sees them in a secret volume: OUT/<secret name>/<key>, one file per
// key, mode 0600 in a directory of mode 0700. Each Secret's directory is written beside the old
// one and swapped in, so a key the backend no longer has does not linger and a failed write
// leaves the previous copy whole.
import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SyncedSecret } from "./secret-data.ts";

export function writeSecretVolume(out: string, secret: SyncedSecret): string {
  mkdirSync(out, { recursive: true, mode: 0o700 });
  const staging = mkdtempSync(join(out, `.${secret.secretName}-`));
  try {
    chmodSync(staging, 0o700);
    for (const [key, value] of secret.data) writeFileSync(join(staging, key), value, { mode: 0o600, flag: "wx" });
    const directory = join(out, secret.secretName);
    rmSync(directory, { recursive: true, force: true });
    renameSync(staging, directory);
    return directory;
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
