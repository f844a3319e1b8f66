// One backend per data directory: two writing the same file would interleave their records and the
// next start would refuse the file. The lock is a file holding the owner's process id; a lock whose
// process is gone (killed, crashed) is stale and taken over.
import { open, readFile, rm, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DataDirError } from "./errors.ts";

export interface DirLock {
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function lockDirectory(dir: string): Promise<DirLock> {
  const path = join(dir, "lock");
  const mine = `${process.pid}\n`;
  try {
    const handle = await open(path, "wx", 0o600);
    await handle.writeFile(mine);
    await handle.close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const owner = Number.parseInt(await readFile(path, "utf8").catch(() => ""), 10);
    if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
      throw new DataDirError(`${dir} is in use by process ${owner}: stop that keybridge dev first, or remove ${path} if that process is not keybridge`);
    }
    // Stale: replaced in one rename, so a reader never sees it half written.
    await writeFile(`${path}.tmp`, mine, { mode: 0o600 });
    await rename(`${path}.tmp`, path);
  }
  return {
    async release() {
      const owner = await readFile(path, "utf8").catch(() => "");
      if (owner === mine) await rm(path, { force: true });
    },
  };
}
