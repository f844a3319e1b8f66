// Files written since a moment that hold any of some values: how tests show that secrets handed to
// a process never reached the disk. Looks three levels deep, at files up to 4 MiB.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export function filesHolding(directories: readonly string[], values: readonly string[], sinceMs: number): string[] {
  const scan = (dir: string, depth: number): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    try {
      if (entry.isDirectory()) return depth < 3 ? scan(path, depth + 1) : [];
      const stats = statSync(path);
      if (!entry.isFile() || stats.mtimeMs < sinceMs || stats.size > 4 * 2 ** 20) return [];
      const text = readFileSync(path, "latin1");
      return values.some((value) => text.includes(value)) ? [path] : [];
    } catch {
      return [];
    }
  });
  return directories.flatMap((dir) => scan(dir, 0));
}
