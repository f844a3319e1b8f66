// The Vault side's own request handling over HTTP: the LIST verb (relayed past node:http's parser),
// sys/health and sys/seal-status (answered outside the logical router, unaudited, as in Vault),
// and everything else under /v1/ through the router. Any other path gets Vault's 404.
import type { IncomingMessage, Server } from "node:http";
import type { Vault } from "../vault.ts";
import type { RequestQuery } from "../core/router.ts";
import { noHandler } from "../core/errors.ts";
import { errorBody } from "../core/envelope.ts";
import { sendJson, sendJsonText, type Exchange } from "../../http-io.ts";
import { ListMarker, relayListRequests, type ConnectToSelf } from "./list-verb.ts";

const apiPrefix = "/v1/";
/** The query of every request that has none (most): read only, so one serves them all. */
const noQuery: RequestQuery = new URLSearchParams();

export class VaultHttp {
  private readonly listMarker = new ListMarker();
  /** Relayed LIST requests and the address of the client that sent them. */
  private readonly relayedFrom = new WeakMap<IncomingMessage, string>();

  constructor(private readonly vault: Vault) {}

  /**
   * Lets LIST requests through this server: node:http refuses the verb before any handler runs, so
   * they come back as GET with a marker. Before any other listener sees such a request, it gets its
   * verb back (the request log shows LIST) and the original client's address is noted.
   */
  attach(server: Server, connectToSelf?: ConnectToSelf): void {
    relayListRequests(server, this.listMarker, connectToSelf);
    server.prependListener("request", (request: IncomingMessage) => {
      if (request.method !== "GET") return;
      const listed = this.listMarker.read(request.headers);
      if (!listed) return;
      request.method = "LIST";
      this.relayedFrom.set(request, listed.remoteAddress);
    });
  }

  /** `path` is the clean, decoded request path. */
  async serve(exchange: Exchange, path: string): Promise<void> {
    if (!path.startsWith(apiPrefix) || path.length === apiPrefix.length) {
      const error = noHandler(path.replace(/^\/(v1\/)?/, ""));
      return sendJson(exchange.response, error.status, errorBody(error.errors));
    }
    const logical = path.slice(apiPrefix.length);
    if (logical === "sys/health" || logical === "sys/seal-status") return this.serveHealth(exchange, logical);
    const { request, response } = exchange;
    const reply = await this.vault.router.handle({
      method: request.method ?? "GET",
      path: logical,
      query: exchange.rawQuery === "" ? noQuery : new URLSearchParams(exchange.rawQuery),
      headers: request.headers,
      body: exchange.body,
      remoteAddress: this.relayedFrom.get(request) ?? exchange.remoteAddress,
    });
    if (reply.json !== undefined) return sendJsonText(response, reply.status, reply.json);
    if (reply.raw) {
      response.writeHead(reply.status, { "Content-Type": reply.raw.contentType, "Content-Length": Buffer.byteLength(reply.raw.text), "Cache-Control": "no-store" });
      response.end(reply.raw.text);
      return;
    }
    sendJson(response, reply.status, reply.body);
  }

  private serveHealth({ request, response, rawQuery }: Exchange, logical: "sys/health" | "sys/seal-status"): void {
    const head = request.method === "HEAD" && logical === "sys/health";
    if (request.method !== "GET" && !head) return sendJson(response, 405, errorBody([]));
    const reply = logical === "sys/health" ? this.vault.health.health(new URLSearchParams(rawQuery)) : this.vault.health.sealStatus();
    sendJson(response, reply.status, reply.body, head);
  }
}
