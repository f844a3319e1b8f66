// Vault's LIST verb. node:http's parser knows a fixed set of methods and refuses LIST before any
// handler runs, so every other request keeps node:http's fast path (keep-alive included), and a
// refused LIST request is re-sent to this same server as GET with a marker header, its answer
// relayed back. That connection then closes: the parser that refused it cannot go on, and clients
// reconnect as they do after any `Connection: close`.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { connect, type AddressInfo, type Socket } from "node:net";
import type { IncomingHttpHeaders, Server } from "node:http";

const markerHeader = "x-keybridge-list-verb";

/** Marks relayed LIST requests with a per-process secret, so no client can forge one. */
export class ListMarker {
  private readonly secret = randomBytes(18).toString("base64url");

  /** The client's address when the request is a relayed LIST, else undefined. */
  read(headers: IncomingHttpHeaders): { readonly remoteAddress: string } | undefined {
    const value = headers[markerHeader];
    if (typeof value !== "string") return undefined;
    const [secret = "", remoteAddress = ""] = value.split(" ");
    const expected = Buffer.from(this.secret);
    const given = Buffer.from(secret);
    return given.length === expected.length && timingSafeEqual(given, expected) ? { remoteAddress } : undefined;
  }

  /** The refused request's head with LIST made GET, the marker added, and the connection closing. */
  rewrite(head: string, remoteAddress: string): string {
    const [requestLine = "", ...headers] = head.split("\r\n");
    const kept = headers.filter((line) => line !== "" && !/^(connection|x-keybridge-list-verb)\s*:/i.test(line));
    return [`GET ${requestLine.slice("LIST ".length)}`, ...kept, `${markerHeader}: ${this.secret} ${remoteAddress}`, "connection: close", "", ""].join("\r\n");
  }
}

/** Opens the relay's connection to this same server (over TLS when it listens with TLS). */
export type ConnectToSelf = (port: number, host: string) => Socket;

export function relayListRequests(server: Server, marker: ListMarker, connectToSelf: ConnectToSelf = (port, host) => connect(port, host)): void {
  server.on("clientError", (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket) => {
    const raw = error.rawPacket?.toString("latin1") ?? "";
    const headEnd = raw.indexOf("\r\n\r\n");
    if (error.code !== "HPE_INVALID_METHOD" || !raw.startsWith("LIST ") || headEnd < 0 || !socket.writable) {
      if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
      else socket.destroy();
      return;
    }
    const { address, port } = server.address() as AddressInfo;
    const upstream = connectToSelf(port, address === "0.0.0.0" ? "127.0.0.1" : address === "::" ? "::1" : address);
    upstream.on("error", () => socket.destroy());
    socket.on("error", () => upstream.destroy());
    upstream.write(marker.rewrite(raw.slice(0, headEnd + 4), socket.remoteAddress ?? ""), "latin1");
    upstream.pipe(socket);
  });
}
