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

const noBody = Buffer.alloc(0);

/**
 * Reads the whole request body. Past `maxBodyBytes` the rest is read and dropped, so the client
 * can finish sending and still get the 413.
 */
export function readBody(request: IncomingMessage): Promise<Buffer> {
  // A request without Content-Length or Transfer-Encoding has no body (RFC 9112 §6.3): most GETs.
  // Node drains it after the response; nothing to wait for here.
  const headers = request.headers as IncomingMessage["headers"] | undefined;
  if (headers && headers["content-length"] === undefined && headers["transfer-encoding"] === undefined) return Promise.resolve(noBody);
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
  const text = `${JSON.stringify(body)}\n`;
  const own = { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), "Cache-Control": "no-store" };
  response.writeHead(status, headers === noHeaders ? own : { ...headers, ...own });
  response.end(head ? undefined : text);
}
