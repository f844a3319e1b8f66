// The two ways the data file is written. A whole file goes to a temporary name, is fsync-ed, then
// renamed over the old one and the directory fsync-ed: a crash leaves the old file or the new
// one, never a mix. A change is appended and fsync-ed before anyone is told it is saved.
import { open, rename, rm, type FileHandle } from "node:fs/promises";
import { join } from "node:path";

export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, written, bytes.length - written);
    written += bytesWritten;
  }
}

export async function writeFileAtomically(dir: string, name: string, bytes: Buffer): Promise<void> {
  const temporary = join(dir, `${name}.tmp`);
  const handle = await open(temporary, "w", 0o600);
  try {
    await writeAll(handle, bytes);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temporary, join(dir, name));
  await syncDirectory(dir);
}

export class AppendFile {
  private constructor(private readonly handle: FileHandle) {}

  static async open(path: string): Promise<AppendFile> {
    return new AppendFile(await open(path, "a", 0o600));
  }

  /** Resolves once the bytes are on disk. */
  async append(bytes: Buffer): Promise<void> {
    await writeAll(this.handle, bytes);
    await this.handle.sync();
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
