// Infisical's AWS IAM auth, as Infisical/secrets-action v1 does it: the machine signs an STS
// GetCallerIdentity request with its AWS credentials (SigV4) and hands the signed request to
// Infisical, which sends it to STS and learns who the caller is. The credentials never leave the
// runner; only the signature does. Credentials come from the environment (what
// aws-actions/configure-aws-credentials sets); the region from AWS_REGION, else IMDSv2.
// SigV4 is written here with node:crypto: the AWS SDK would multiply the Action bundle's size.
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import type { SecretsBackend, Session } from "../backends/backend.ts";
import type { Env, LoginContext, LoginTarget } from "./auth-method.ts";
import { infisicalOnly } from "./backend-only.ts";
import { compareText } from "../../policy/text-order.ts";

export interface AwsIamSettings {
  /** Infisical's machine identity (the CLI's --identity-id; the Action gives it in the backend target). */
  readonly identityId?: string | undefined;
  /** The AWS region of the STS endpoint; AWS_REGION (or AWS_DEFAULT_REGION, else IMDSv2) when absent. */
  readonly region?: string | undefined;
}

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

export interface SignableRequest {
  readonly method: string;
  readonly host: string;
  readonly path: string;
  /** Already in canonical form (sorted, URI-encoded); "" when none. */
  readonly query: string;
  /** Headers to sign besides host and x-amz-date, by the names to send them under. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface SigningScope {
  readonly credentials: AwsCredentials;
  readonly region: string;
  readonly service: string;
  readonly date: Date;
}

// node:crypto is taken when signing, as signed-jwt.ts does, not imported: the Action's input check
// loads every auth method (for its login target), and loading node:crypto (and the streams it
// needs) costs about 5 ms of a start that fails fast on a missing input.
const sha256Hex = (text: string): string => process.getBuiltinModule("node:crypto").createHash("sha256").update(text, "utf8").digest("hex");
const hmac = (key: string | Buffer, text: string): Buffer => process.getBuiltinModule("node:crypto").createHmac("sha256", key).update(text, "utf8").digest();

/** "20150830T123600Z": the basic ISO 8601 form SigV4 signs. */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** The headers to send (Host, X-Amz-Date, the session token, Authorization) for a SigV4-signed request. */
export function signV4(request: SignableRequest, scope: SigningScope): Record<string, string> {
  const stamp = amzDate(scope.date);
  const day = stamp.slice(0, 8);
  const headers: Record<string, string> = { ...request.headers, Host: request.host, "X-Amz-Date": stamp };
  if (scope.credentials.sessionToken) headers["X-Amz-Security-Token"] = scope.credentials.sessionToken;
  const canonical = Object.entries(headers)
    .map(([name, value]) => [name.toLowerCase(), value.trim().replace(/\s+/g, " ")] as const)
    .sort(([a], [b]) => compareText(a, b));
  const signedHeaders = canonical.map(([name]) => name).join(";");
  const canonicalRequest = [
    request.method, request.path, request.query,
    ...canonical.map(([name, value]) => `${name}:${value}`), "",
    signedHeaders, sha256Hex(request.body),
  ].join("\n");
  const credentialScope = `${day}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", stamp, credentialScope, sha256Hex(canonicalRequest)].join("\n");
  const signingKey = [day, scope.region, scope.service, "aws4_request"].reduce<string | Buffer>((key, part) => hmac(key, part), `AWS4${scope.credentials.secretAccessKey}`);
  const signature = hmac(signingKey, stringToSign).toString("hex");
  headers.Authorization = `AWS4-HMAC-SHA256 Credential=${scope.credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}

/** The credentials of AWS's default chain that a CI runner has: the environment variables. */
export function awsCredentialsFromEnv(env: Env): AwsCredentials {
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
  if (!accessKeyId || !secretAccessKey) {
    throw new KeybridgeError("KB_INPUT_INVALID",
      "AWS credentials not found: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set; run aws-actions/configure-aws-credentials before this step, or export them");
  }
  return { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN?.trim() || undefined };
}

const imdsTimeoutMs = 1_000;

/** The instance's region from IMDSv2 (AWS_EC2_METADATA_SERVICE_ENDPOINT moves it, as in the SDKs). */
async function regionFromImds(env: Env): Promise<string> {
  const base = (env.AWS_EC2_METADATA_SERVICE_ENDPOINT?.trim() || "http://169.254.169.254").replace(/\/+$/, "");
  try {
    const tokenResponse = await fetch(`${base}/latest/api/token`, {
      method: "PUT", headers: { "X-aws-ec2-metadata-token-ttl-seconds": "21600" }, signal: AbortSignal.timeout(imdsTimeoutMs),
    });
    if (!tokenResponse.ok) throw new Error(`HTTP ${tokenResponse.status}`);
    const token = await tokenResponse.text();
    const documentResponse = await fetch(`${base}/latest/dynamic/instance-identity/document`, {
      headers: { "X-aws-ec2-metadata-token": token, Accept: "application/json" }, signal: AbortSignal.timeout(imdsTimeoutMs),
    });
    if (!documentResponse.ok) throw new Error(`HTTP ${documentResponse.status}`);
    const region = ((await documentResponse.json()) as { region?: unknown }).region;
    if (typeof region !== "string" || !/^[a-z0-9-]+$/.test(region)) throw new Error("no region in the identity document");
    return region;
  } catch (error) {
    throw new KeybridgeError("KB_INPUT_INVALID",
      `AWS region unknown: AWS_REGION is not set and the instance metadata service at ${base} did not answer within ${imdsTimeoutMs} ms (${(error as Error).message}); set AWS_REGION (aws-actions/configure-aws-credentials does)`);
  }
}

async function awsRegion(settings: AwsIamSettings, env: Env): Promise<string> {
  const region = settings.region?.trim() || env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
  if (region && !/^[a-z0-9-]+$/.test(region)) throw new KeybridgeError("KB_INPUT_INVALID", `AWS region "${region}" is not a region name; write for example us-east-1`);
  return region || regionFromImds(env);
}

export const getCallerIdentityBody = "Action=GetCallerIdentity&Version=2011-06-15";

/** What Infisical's /api/v1/auth/aws-auth/login takes besides the identity: the signed STS request. */
export interface SignedCallerIdentity {
  readonly iamHttpRequestMethod: "POST";
  /** base64 of the form body. */
  readonly iamRequestBody: string;
  /** base64 of the JSON of the signed headers. */
  readonly iamRequestHeaders: string;
}

export function signedGetCallerIdentity(credentials: AwsCredentials, region: string, date: Date): SignedCallerIdentity {
  const host = `sts.${region}.amazonaws.com`;
  const headers = signV4(
    { method: "POST", host, path: "/", query: "", headers: { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" }, body: getCallerIdentityBody },
    { credentials, region, service: "sts", date },
  );
  return {
    iamHttpRequestMethod: "POST",
    iamRequestBody: Buffer.from(getCallerIdentityBody, "utf8").toString("base64"),
    iamRequestHeaders: Buffer.from(JSON.stringify(headers), "utf8").toString("base64"),
  };
}

export function target(settings: AwsIamSettings): LoginTarget {
  return settings.identityId ? { identityId: settings.identityId } : {};
}

export async function login(backend: SecretsBackend, settings: AwsIamSettings, context: LoginContext): Promise<Session> {
  const infisical = infisicalOnly(backend, "AWS IAM auth");
  const credentials = awsCredentialsFromEnv(context.env);
  context.onCredential?.(credentials.secretAccessKey);
  if (credentials.sessionToken) context.onCredential?.(credentials.sessionToken);
  const region = await awsRegion(settings, context.env);
  context.log?.(`Signing an STS GetCallerIdentity request for sts.${region}.amazonaws.com with access key ${credentials.accessKeyId}`);
  return infisical.loginWithAwsIam(signedGetCallerIdentity(credentials, region, new Date()));
}
