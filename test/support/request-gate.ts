// A loopback proxy in front of a server that holds the requests a predicate picks until `count`
// of them wait, then lets them all through at once: concurrent clients then really race (each
// reads the same state before any of them writes), however slowly their processes started.
// Held requests are released anyway after `maxWaitMs`, so a test that goes wrong still ends.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RequestGate {
  readonly url: string;
  /** Holds the next `count` requests the predicate picks. */
  arm(count: number): void;
  close(): Promise<void>;
}

export async function startRequestGate(target: string, picks: (request: IncomingMessage) => boolean, maxWaitMs = 60_000): Promise<RequestGate> {
  const upstream = new URL(target);
  let expected = 0;
  let held: (() => void)[] = [];
  let timer: NodeJS.Timeout | undefined;
  const releaseAll = () => {
    clearTimeout(timer);
    const waiting = held;
    held = [];
    expected = 0;
    for (const release of waiting) release();
  };

  const forward = (incoming: IncomingMessage, outgoing: ServerResponse, body: Buffer) => {
    const proxied = httpRequest({ host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    proxied.on("error", () => outgoing.destroy());
    proxied.end(body);
  };

  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      if (expected === 0 || !picks(incoming)) return forward(incoming, outgoing, body);
      held.push(() => forward(incoming, outgoing, body));
      if (held.length === 1) timer = setTimeout(releaseAll, maxWaitMs);
      if (held.length >= expected) releaseAll();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arm(count) {
      expected = count;
    },
    async close() {
      releaseAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
