// The data key of `--data DIR`: 32 bytes, base64, from --data-key-file FILE (which must be private
// to its owner and live outside DIR: a key beside the data protects nothing) or from
// KEYBRIDGE_DEV_DATA_KEY. Every refusal is one line that says how to make a good key; none shows
// the key or any part of it.
import { realpathSync, readFileSync, statSync } from "node:fs";
import { dirname, basename, isAbsolute, join, relative, resolve } from "node:path";
import { DataDirError } from "./errors.ts";
import { dataKeyBytes } from "./record-cipher.ts";

export const dataKeyEnv = "KEYBRIDGE_DEV_DATA_KEY";
export const makeKey = "openssl rand -base64 32 > key && chmod 600 key";

export interface DataKeySource {
  readonly dataDir: string;
  readonly keyFile?: string;
  /** The value of KEYBRIDGE_DEV_DATA_KEY, if set. */
  readonly env?: string;
}

function decode(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, "base64") : undefined;
  if (!bytes || bytes.length !== dataKeyBytes) {
    throw new DataDirError(`${where} must hold ${dataKeyBytes} random bytes in base64${bytes ? ` (it holds ${bytes.length})` : " (it is not base64)"}: make one with \`${makeKey}\``);
  }
  return bytes;
}

/** The real path, following links, of a path that may not exist yet (its nearest existing parent's). */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(realPath(parent), basename(path));
  }
}

function inside(child: string, parent: string): boolean {
  const rest = relative(parent, child);
  return rest === "" || (!rest.startsWith("..") && !isAbsolute(rest));
}

function fromFile(file: string, dataDir: string): Buffer {
  const path = resolve(file);
  let mode: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new DataDirError(`--data-key-file ${file} is not a file: make one with \`${makeKey}\``);
    mode = stat.mode & 0o777;
  } catch (error) {
    if (error instanceof DataDirError) throw error;
    throw new DataDirError(`--data-key-file ${file} cannot be read (${(error as NodeJS.ErrnoException).code}): make one with \`${makeKey}\``);
  }
  if (inside(realPath(path), realPath(resolve(dataDir)))) {
    throw new DataDirError(`--data-key-file ${file} is inside the data directory ${dataDir}: a key beside the data protects nothing; move it out of ${dataDir}`);
  }
  if (process.platform !== "win32" && (mode & 0o077) !== 0) {
    throw new DataDirError(`--data-key-file ${file} has mode 0${mode.toString(8)}, so other users may read or change it: run \`chmod 600 ${file}\``);
  }
  return decode(readFileSync(path, "utf8"), `--data-key-file ${file}`);
}

/** The key the flag or the environment gives; the file wins over the environment, as flags do. */
export function resolveDataKey(source: DataKeySource): Buffer {
  if (source.keyFile !== undefined) return fromFile(source.keyFile, source.dataDir);
  if (source.env !== undefined && source.env !== "") return decode(source.env, dataKeyEnv);
  throw new DataDirError(`--data ${source.dataDir} needs a key to encrypt it: make one outside the directory with \`${makeKey}\` and pass --data-key-file key (or set ${dataKeyEnv} to its content)`);
}

/** A key given in-process (startDevBackend's dataKey). */
export function checkDataKey(key: Uint8Array): Buffer {
  if (key.length !== dataKeyBytes) throw new DataDirError(`the data key must be ${dataKeyBytes} bytes, not ${key.length}: make one with \`${makeKey}\``);
  return Buffer.from(key);
}
