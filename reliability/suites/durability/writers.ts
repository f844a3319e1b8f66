// The clients of one crash round: each writes KV v2 secrets one after the other (a unique key and
// value per write, and now and then a new version of the round's shared key) until it is told to
// stop, and records what became of every write: acknowledged (200/204, with the version Vault
// gave it), refused, or in flight when the backend was killed (no answer: saved or not, unknown).
import { Agent } from "undici";
import type { Rng } from "../leaks/prng.ts";

export type WriteState = "acknowledged" | "refused" | "in flight";

export interface Write {
  readonly key: string;
  readonly value: string;
  state: WriteState;
  /** The version an acknowledgement named. */
  version?: number;
  status?: number;
}

export interface RoundWriters {
  readonly writes: Write[];
  /** Call just before the kill: writes failing after it were in flight, and no new ones start. */
  markKilled(): void;
  /** Resolves when every client has stopped. */
  done(): Promise<void>;
}

export const sharedKey = (round: number): string => `crash/r${round}/shared`;

/** A unique value: who wrote it and when, plus padding of a random length (so files grow and get rewritten). */
function valueFor(round: number, client: number, n: number, rng: Rng): string {
  return `r${round}.c${client}.n${n}.${rng.int(0, 2 ** 30).toString(36)}.${"p".repeat(rng.int(0, 2048))}`;
}

export function startWriters(addr: string, token: string, round: number, clients: number, rng: Rng): RoundWriters {
  const writes: Write[] = [];
  let killed = false;
  // A client per connection, as separate CI jobs would be.
  const agents = Array.from({ length: clients }, () => new Agent({ connections: 1 }));

  async function client(index: number): Promise<void> {
    const agent = agents[index]!;
    for (let n = 0; !killed && n < 100_000; n++) {
      const key = n % 5 === 4 ? sharedKey(round) : `crash/r${round}/c${index}-${n}`;
      const write: Write = { key, value: valueFor(round, index, n, rng), state: "in flight" };
      writes.push(write);
      try {
        const response = await agent.request({
          origin: addr,
          path: `/v1/secret/data/${key}`,
          method: "POST",
          headers: { "content-type": "application/json", "x-vault-token": token },
          body: JSON.stringify({ data: { value: write.value } }),
          headersTimeout: 10_000,
          bodyTimeout: 10_000,
        });
        const text = await response.body.text();
        write.status = response.statusCode;
        if (response.statusCode === 200 || response.statusCode === 204) {
          write.state = "acknowledged";
          write.version = response.statusCode === 200 ? (JSON.parse(text) as { data: { version: number } }).data.version : undefined;
        } else {
          write.state = "refused";
        }
      } catch {
        // The connection died under it: only the kill does that here.
        if (!killed) write.state = "refused";
        return;
      }
    }
  }

  const running = Promise.all(Array.from({ length: clients }, (_, index) => client(index)));
  return {
    writes,
    markKilled: () => {
      killed = true;
    },
    async done() {
      await running;
      await Promise.all(agents.map((agent) => agent.destroy()));
    },
  };
}
