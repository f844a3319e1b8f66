// A JSON HTTP server on 127.0.0.1 (port 0) that answers by route: the stand-in for Vault,
// Infisical or GitHub's token service in unit tests. It records each request (method, path,
// headers, body) so tests can check what the client sent.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach } from "node:test";
import { HttpClient } from "../../client/http/http-client.ts";

export interface StubRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

export interface StubAnswer {
  readonly status: number;
  readonly json?: unknown;
}

export type StubRoute = (request: StubRequest) => StubAnswer;

export interface StubServer {
  readonly url: URL;
  readonly requests: StubRequest[];
  /** Answers `METHOD /path` (query ignored); unknown routes answer 404. */
  route(key: string, answer: StubRoute | StubAnswer): void;
  close(): Promise<void>;
}

export async function startStubServer(): Promise<StubServer> {
  const routes = new Map<string, StubRoute>();
  const requests: StubRequest[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      const text = Buffer.concat(chunks).toString("utf8");
      const recorded: StubRequest = { method: request.method ?? "GET", path: url.pathname, query: url.searchParams, headers: request.headers, body: text === "" ? undefined : JSON.parse(text) };
      requests.push(recorded);
      const answer = routes.get(`${recorded.method} ${recorded.path}`)?.(recorded) ?? { status: 404, json: { errors: [] } };
      response.writeHead(answer.status, { "content-type": "application/json" });
      response.end(answer.json === undefined ? "" : JSON.stringify(answer.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    requests,
    route(key, answer) {
      routes.set(key, typeof answer === "function" ? answer : () => answer);
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * For a test file: a stub server and an HttpClient without retries, started before its tests and
 * stopped after; the recorded requests are cleared before each test.
 */
export function useStubServer(): { readonly stub: StubServer; readonly http: HttpClient } {
  const context = {} as { stub: StubServer; http: HttpClient };
  before(async () => {
    context.stub = await startStubServer();
    context.http = new HttpClient({ timeoutMs: 5_000, retries: 0 });
  });
  beforeEach(() => void context.stub.requests.splice(0));
  after(async () => {
    await context.http.close();
    await context.stub.close();
  });
  return context;
}
