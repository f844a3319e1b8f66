// Small HTTP helpers shared by the Vault, Infisical and OIDC parts of the dev server.
import { withCode } from "../policy/errors/keybridge-error.ts";
import type { IncomingMessage, ServerResponse } from "node:http";

/** One request as the server hands it to the product that owns its path prefix. */
export interface Exchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  /** The path as sent, before decoding and cleaning. */
  readonly rawPath: string;
  readonly rawQuery: string;
  readonly remoteAddress: string;
  /** Read once, within maxBodyBytes, before dispatch. */
  readonly body: Buffer;
}

export const maxBodyBytes = 4 * 1024 * 1024;

export class BodyTooLargeError extends withCode("KB_DEV_REQUEST_TOO_LARGE") {}

export const noBody = Buffer.alloc(0);

/**
 * Whether the request announces a body: one without Content-Length or Transfer-Encoding has none
 * (RFC 9112 §6.3), as most GETs. Node drains such a request after the response.
 */
export function hasBody(request: IncomingMessage): boolean {
  return request.headers["content-length"] !== undefined || request.headers["transfer-encoding"] !== undefined;
}

/**
 * Reads the whole request body (the caller asks hasBody() first). Past `maxBodyBytes` the rest is
 * read and dropped, so the client can finish sending and still get the 413.
 */
export function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) chunks.push(chunk);
    });
    request.on("end", () => (size > maxBodyBytes ? reject(new BodyTooLargeError(`the request body is larger than ${maxBodyBytes} bytes`)) : resolve(Buffer.concat(chunks))));
    request.on("error", reject);
  });
}

const noHeaders: Readonly<Record<string, string>> = {};

export function sendJson(response: ServerResponse, status: number, body: unknown, head = false, headers: Readonly<Record<string, string>> = noHeaders): void {
  if (body === undefined) {
    response.writeHead(status, { ...headers, "Cache-Control": "no-store" }).end();
    return;
  }
  sendJsonText(response, status, JSON.stringify(body), head, headers);
}

/** `json` is serialized already (JSON.stringify's output): sent as sendJson sends a body. */
export function sendJsonText(response: ServerResponse, status: number, json: string, head = false, headers: Readonly<Record<string, string>> = noHeaders): void {
  const text = `${json}\n`;
  const own = { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), "Cache-Control": "no-store" };
  // One writeHead with every header, then the whole body in one end(): one write on the socket.
  response.writeHead(status, headers === noHeaders ? own : { ...headers, ...own });
  response.end(head ? undefined : text);
}
