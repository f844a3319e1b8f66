// Request bodies as Infisical's Fastify server reads them: JSON (what the Terraform provider and
// the SDKs send) or form-urlencoded (what Infisical's own GitHub Action sends). Parse errors never
// quote the body: it holds tokens and client secrets.
import type { IncomingHttpHeaders } from "node:http";
import { InfisicalError, badRequest } from "./errors.ts";
import { queryObject } from "./request-schemas.ts";
import { jsonDepth, maxJsonDepth, tooDeepMessage } from "../json-input.ts";

export function parseRequestBody(headers: IncomingHttpHeaders, body: Buffer): Record<string, unknown> {
  const text = body.toString("utf8");
  const media = (headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (text.trim() === "" && media !== "application/json") return {};
  if (media === "application/x-www-form-urlencoded") return queryObject(new URLSearchParams(text));
  if (media === "application/json" || media === "") {
    if (jsonDepth(text) > maxJsonDepth) throw badRequest(tooDeepMessage());
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw badRequest("Body is not valid JSON but content-type is set to 'application/json'; send a JSON object");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw badRequest("The body must be a JSON object; send {\"name\": value, ...}");
    return parsed as Record<string, unknown>;
  }
  throw new InfisicalError(415, "UnsupportedMediaType", `Unsupported Media Type: ${media}; send application/json or application/x-www-form-urlencoded`);
}
