// Starts on damaged copies of the crash loop's data directory. Each copy gets one kind of damage (a
// flipped byte, a changed header, swapped or dropped records) or is opened with a key that is not
// its own or not private; each start must be refused with one line, nothing served and the file
// left as it was. A last record cut short (a crash mid-append) must instead be dropped with a note.
import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { splitFrames } from "../../../dev/persist/data-file.ts";
import type { Attempt } from "../../report.ts";
import { judgeRefusal, tryStart } from "./refusals.ts";
import { withoutCode } from "../error-line.ts";

export interface DamageOptions {
  /** The crash loop's directory, stopped cleanly. */
  readonly dir: string;
  /** Where the copies go. */
  readonly root: string;
  readonly keyFile: string;
  /** Another 0600 key, and a key file of mode 0644. */
  readonly otherKeyFile: string;
  readonly openKeyFile: string;
  readonly env: NodeJS.ProcessEnv;
  readonly log: (line: string) => void;
}

const refusedLine = /^keybridge dev: \S+vault\.kbd: record \d+ does not authenticate: changed on disk or the key is wrong; restore the data directory from a backup, or start with the key it was written with; the file is left as it is \(damage found at byte \d+\)$/;
const openKeyLine = /^keybridge dev: --data-key-file \S+ has mode 0644, so other users may read or change it: run `chmod 600 \S+`$/;
const noKeyLine = /^keybridge dev: --data \S+ needs a key to encrypt it: make one outside the directory with `openssl rand -base64 32 > key && chmod 600 key` and pass --data-key-file key \(or set KEYBRIDGE_DEV_DATA_KEY to its content\)$/;

interface Damage {
  readonly tried: string;
  /** The damaged file, or undefined when this file is too small for it. */
  readonly bytes: (original: Buffer) => Buffer | undefined;
  readonly keyFile?: string;
  readonly line: RegExp;
}

function damages(options: DamageOptions, original: Buffer): Damage[] {
  const { header, frames, rest } = splitFrames(original);
  const rebuilt = (list: readonly Buffer[]) => Buffer.concat([header, ...list, rest]);
  const middle = Math.floor(frames.length / 2);
  return [
    { tried: "a byte of the last record flipped", bytes: (bytes) => Buffer.concat([bytes.subarray(0, -20), Buffer.from([bytes[bytes.length - 20]! ^ 0x01]), bytes.subarray(-19)]), line: refusedLine },
    {
      tried: "a byte of the header (the file's id) changed",
      bytes: (bytes) => {
        const copy = Buffer.from(bytes);
        const at = copy.indexOf('"id":"') + 6;
        copy[at] = copy[at] === 0x30 ? 0x31 : 0x30;
        return copy;
      },
      line: refusedLine,
    },
    { tried: "two records swapped", bytes: () => (frames.length < 2 ? undefined : rebuilt([...frames.slice(0, middle - 1), frames[middle]!, frames[middle - 1]!, ...frames.slice(middle + 1)])), line: refusedLine },
    { tried: "a record removed from the middle", bytes: () => (frames.length < 3 ? undefined : rebuilt(frames.filter((_, index) => index !== middle))), line: refusedLine },
    { tried: "another key than its own", bytes: (bytes) => bytes, keyFile: options.otherKeyFile, line: refusedLine },
    { tried: "a key file others may read (0644)", bytes: (bytes) => bytes, keyFile: options.openKeyFile, line: openKeyLine },
  ];
}

async function copyWith(options: DamageOptions, name: string, bytes: Buffer): Promise<string> {
  const copy = join(options.root, name);
  await cp(options.dir, copy, { recursive: true });
  await writeFile(join(copy, "vault.kbd"), bytes);
  return copy;
}

export async function damagedStarts(options: DamageOptions): Promise<Attempt[]> {
  const original = await readFile(join(options.dir, "vault.kbd"));
  const attempts: Attempt[] = [];
  let index = 0;
  for (const damage of damages(options, original)) {
    const bytes = damage.bytes(original);
    const tried = `start on the data file with ${damage.tried}`;
    if (!bytes) {
      attempts.push({ tried, outcome: `the file has too few records (${splitFrames(original).frames.length}) for this`, held: false });
      continue;
    }
    const copy = await copyWith(options, `damaged-${index++}`, bytes);
    const outcome = await tryStart(["--data", copy, "--data-key-file", damage.keyFile ?? options.keyFile], options.env);
    const judged = await judgeRefusal(outcome, join(copy, "vault.kbd"), bytes, damage.line);
    options.log(`${damage.tried}: ${judged.held ? "refused" : "BROKE"}: ${judged.outcome}`);
    attempts.push({ tried, outcome: judged.outcome, held: judged.held });
  }

  const { header, frames } = splitFrames(original);
  if (frames.length >= 2) {
    const torn = Buffer.concat([header, ...frames.slice(0, -1), frames.at(-1)!.subarray(0, 9)]);
    const copy = await copyWith(options, "torn", torn);
    const outcome = await tryStart(["--data", copy, "--data-key-file", options.keyFile], options.env);
    const noted = /ends in a change cut short by a crash \(9 bytes at offset \d+\); it was never acknowledged and is dropped/.test(outcome.stderr);
    const served = outcome.stdout.startsWith("{");
    attempts.push({
      tried: "start on the data file with its last record cut short (a crash mid-append)",
      outcome: served && noted ? `started in ${Math.round(outcome.ms)} ms, the torn change dropped with a note on stderr` : `exit ${outcome.code}: ${outcome.stderr.trim().slice(0, 200)}`,
      held: served && noted,
    });
  }

  const fresh = join(options.root, "fresh");
  const noKey = await tryStart(["--data", fresh], options.env);
  const lines = noKey.stderr.trim().split("\n");
  const held = noKey.code === 1 && noKey.stdout === "" && lines.length === 1 && noKeyLine.test(withoutCode(lines[0]!));
  attempts.push({
    tried: "start with --data and no key at all",
    outcome: held ? `exit 1: "${lines[0]!.replace(/--data \S+/, "--data …")}"` : `exit ${noKey.code}: ${noKey.stderr.trim().slice(0, 200)}`,
    held,
  });
  return attempts;
}
