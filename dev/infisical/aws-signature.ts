// SigV4 as STS checks it, for the AWS IAM login: keybridge dev does not call AWS, it holds the
// declared access keys (`keybridge dev --aws-key`) and recomputes the signature of the forwarded
// GetCallerIdentity request itself. Written apart from the client's signer (dev/ imports no
// client/), so that a bug in one cannot hide in the other.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** An access key keybridge dev plays STS for, and the principal GetCallerIdentity names. */
export interface DevAwsKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** arn:aws:iam::123456789012:user/ci, or an assumed-role ARN of sts. */
  readonly arn: string;
}

export interface ForwardedRequest {
  readonly method: string;
  readonly host: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Why STS would refuse the request, in STS's error code and words. */
export interface StsRefusal {
  readonly code: "IncompleteSignature" | "InvalidClientTokenId" | "SignatureDoesNotMatch" | "SignatureExpired";
  readonly message: string;
}

const maxSkewMs = 15 * 60 * 1000;
const authorizationShape = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

const digestHex = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const mac = (key: string | Buffer, text: string) => createHmac("sha256", key).update(text, "utf8").digest();

function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  return found?.[1];
}

/** "20260102T030405Z" as milliseconds since the epoch, or NaN. */
function parseAmzDate(text: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6])) : NaN;
}

/** The region a host names: sts.amazonaws.com is us-east-1's global endpoint. */
export function stsRegion(host: string): string | undefined {
  if (host === "sts.amazonaws.com") return "us-east-1";
  return /^sts\.([a-z0-9-]+)\.amazonaws\.com$/.exec(host)?.[1];
}

/** The caller's key when the signature is STS-valid at `now`, else STS's refusal. */
export function verifySignature(request: ForwardedRequest, keys: ReadonlyMap<string, DevAwsKey>, now: number): DevAwsKey | StsRefusal {
  const authorization = headerValue(request.headers, "authorization") ?? "";
  const parts = authorizationShape.exec(authorization.trim());
  const stamp = headerValue(request.headers, "x-amz-date") ?? "";
  if (!parts || !stamp) return { code: "IncompleteSignature", message: "the request has no SigV4 Authorization header or no X-Amz-Date" };
  const [, accessKeyId, day, region, service, signedHeaders, signature] = parts as unknown as [string, string, string, string, string, string, string];
  const key = keys.get(accessKeyId);
  if (!key) return { code: "InvalidClientTokenId", message: `The security token included in the request is invalid (access key ${accessKeyId} is not declared to keybridge dev: --aws-key)` };
  const signedAt = parseAmzDate(stamp);
  if (Number.isNaN(signedAt) || !stamp.startsWith(day)) return { code: "IncompleteSignature", message: `X-Amz-Date "${stamp}" is not the day of the credential scope (${day})` };
  if (Math.abs(now - signedAt) > maxSkewMs) return { code: "SignatureExpired", message: `Signature expired: ${stamp} is more than 15 minutes from the server's time; sign the request anew (check the runner's clock)` };
  if (service !== "sts" || region !== stsRegion(request.host)) return { code: "SignatureDoesNotMatch", message: `the credential scope ${region}/${service} does not match the host ${request.host}` };
  const names = signedHeaders.split(";");
  if (!names.includes("host") || !names.includes("x-amz-date")) return { code: "IncompleteSignature", message: "SignedHeaders must include host and x-amz-date" };
  const canonicalHeaders = names.map((name) => `${name}:${(headerValue(request.headers, name) ?? "").trim().replace(/\s+/g, " ")}\n`).join("");
  const canonicalRequest = [request.method, "/", "", canonicalHeaders, signedHeaders, digestHex(request.body)].join("\n");
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = `AWS4-HMAC-SHA256\n${stamp}\n${scope}\n${digestHex(canonicalRequest)}`;
  let signingKey: string | Buffer = `AWS4${key.secretAccessKey}`;
  for (const part of [day, region, service, "aws4_request"]) signingKey = mac(signingKey, part);
  const expected = mac(signingKey, toSign);
  if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) {
    return { code: "SignatureDoesNotMatch", message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method." };
  }
  return key;
}
