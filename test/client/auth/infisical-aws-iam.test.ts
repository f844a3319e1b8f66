// Infisical's AWS IAM login, client side: SigV4 against AWS's published signing example, the
// GetCallerIdentity request Infisical/secrets-action sends, credentials from the environment, and
// the region from AWS_REGION or IMDSv2 (a stub on 127.0.0.1 through AWS_EC2_METADATA_SERVICE_ENDPOINT).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { InfisicalBackend } from "../../../client/backends/infisical.ts";
import { amzDate, awsCredentialsFromEnv, getCallerIdentityBody, login, signedGetCallerIdentity, signV4 } from "../../../client/auth/infisical-aws-iam.ts";
import { KeybridgeError } from "../../../policy/errors/keybridge-error.ts";
import { useStubServer } from "../../support/stub-server.ts";

// AWS's documented SigV4 example (IAM ListUsers): the example key, date and expected signature.
const example = {
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
  date: new Date("2015-08-30T12:36:00Z"),
};

const context = useStubServer();

function backend(identityId: string | undefined = "identity-1"): InfisicalBackend {
  return new InfisicalBackend(context.http, {
    url: context.stub.url, identityId, project: "shop", environment: "prod", recursive: false, includeImports: true, expandReferences: true,
  });
}

const decode = (base64: string) => Buffer.from(base64, "base64").toString("utf8");

describe("SigV4", () => {
  it("signs AWS's published IAM ListUsers example to its published signature", () => {
    const headers = signV4(
      { method: "GET", host: "iam.amazonaws.com", path: "/", query: "Action=ListUsers&Version=2010-05-08", headers: { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" }, body: "" },
      { ...example, region: "us-east-1", service: "iam" },
    );
    assert.equal(headers["X-Amz-Date"], "20150830T123600Z");
    assert.equal(headers.Authorization,
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
  });

  it("signs the session token as X-Amz-Security-Token, and a different secret signs differently", () => {
    const request = { method: "POST", host: "sts.eu-west-1.amazonaws.com", path: "/", query: "", headers: {}, body: getCallerIdentityBody };
    const scope = { region: "eu-west-1", service: "sts", date: example.date };
    const withToken = signV4(request, { ...scope, credentials: { ...example.credentials, sessionToken: "session-token-value" } });
    assert.equal(withToken["X-Amz-Security-Token"], "session-token-value");
    assert.match(withToken.Authorization!, /SignedHeaders=host;x-amz-date;x-amz-security-token,/);
    const other = signV4(request, { ...scope, credentials: { ...example.credentials, secretAccessKey: "another-secret" } });
    assert.notEqual(other.Authorization, signV4(request, { ...scope, credentials: example.credentials }).Authorization);
  });

  it("writes dates in SigV4's basic form", () => {
    assert.equal(amzDate(new Date("2026-01-02T03:04:05.678Z")), "20260102T030405Z");
  });
});

describe("the GetCallerIdentity request Infisical/secrets-action sends", () => {
  it("is a POST of Action=GetCallerIdentity&Version=2011-06-15 to sts.<region>, body and headers in base64", () => {
    const signed = signedGetCallerIdentity(example.credentials, "eu-central-1", example.date);
    assert.equal(signed.iamHttpRequestMethod, "POST");
    assert.equal(decode(signed.iamRequestBody), "Action=GetCallerIdentity&Version=2011-06-15");
    const headers = JSON.parse(decode(signed.iamRequestHeaders)) as Record<string, string>;
    assert.equal(headers.Host, "sts.eu-central-1.amazonaws.com");
    assert.equal(headers["Content-Type"], "application/x-www-form-urlencoded; charset=utf-8");
    assert.match(headers.Authorization!, /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20150830\/eu-central-1\/sts\/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}$/);
    assert.ok(!signed.iamRequestHeaders.includes(example.credentials.secretAccessKey) && !decode(signed.iamRequestHeaders).includes(example.credentials.secretAccessKey));
  });
});

describe("login", () => {
  const env = { AWS_ACCESS_KEY_ID: "AKIAEXAMPLE00000001", AWS_SECRET_ACCESS_KEY: "secret-access-key-value", AWS_SESSION_TOKEN: "session-token-value", AWS_REGION: "us-west-2" };

  it("posts identityId and the signed request to /api/v1/auth/aws-auth/login, and tells each credential to be masked", async () => {
    context.stub.route("POST /api/v1/auth/aws-auth/login", { status: 200, json: { accessToken: "access-token", expiresIn: 600 } });
    const told: string[] = [];
    const session = await login(backend(), {}, { http: context.http, env, onCredential: (value) => told.push(value) });
    assert.equal(session.token, "access-token");
    const body = context.stub.requests[0]!.body as Record<string, string>;
    assert.equal(body.identityId, "identity-1");
    assert.equal(body.iamHttpRequestMethod, "POST");
    assert.equal(JSON.parse(decode(body.iamRequestHeaders!)).Host, "sts.us-west-2.amazonaws.com");
    assert.deepEqual(told, ["secret-access-key-value", "session-token-value"]);
  });

  it("fails when Infisical refuses, with the identity, the status and what to check, and no credential", async () => {
    context.stub.route("POST /api/v1/auth/aws-auth/login", { status: 401, json: { message: "Access denied: AWS principal ARN not allowed." } });
    await assert.rejects(login(backend(), {}, { http: context.http, env }), (error: KeybridgeError) => {
      assert.equal(error.code, "KB_LOGIN_REFUSED");
      assert.match(error.message, /identity identity-1 \(HTTP 401\): Access denied: AWS principal ARN not allowed\..*allowed principal ARNs/);
      assert.ok(!error.message.includes(env.AWS_SECRET_ACCESS_KEY) && !error.message.includes(env.AWS_SESSION_TOKEN));
      return true;
    });
  });

  it("fails when the AWS credentials are not in the environment, naming the variables", () => {
    assert.throws(() => awsCredentialsFromEnv({ AWS_ACCESS_KEY_ID: "AKIAEXAMPLE00000001" }), (error: KeybridgeError) => {
      assert.equal(error.code, "KB_INPUT_INVALID");
      assert.match(error.message, /AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set.*configure-aws-credentials/);
      return true;
    });
  });

  it("takes the region from IMDSv2 when AWS_REGION is not set", async () => {
    context.stub.route("PUT /latest/api/token", { status: 200, json: "imds-token" });
    context.stub.route("GET /latest/dynamic/instance-identity/document", { status: 200, json: { region: "ap-south-1" } });
    context.stub.route("POST /api/v1/auth/aws-auth/login", { status: 200, json: { accessToken: "access-token", expiresIn: 600 } });
    const { AWS_REGION: _, ...noRegion } = env;
    await login(backend(), {}, { http: context.http, env: { ...noRegion, AWS_EC2_METADATA_SERVICE_ENDPOINT: context.stub.url.href } });
    const token = context.stub.requests.find((request) => request.path === "/latest/api/token")!;
    assert.equal(token.headers["x-aws-ec2-metadata-token-ttl-seconds"], "21600");
    const body = context.stub.requests.find((request) => request.path === "/api/v1/auth/aws-auth/login")!.body as Record<string, string>;
    assert.equal(JSON.parse(decode(body.iamRequestHeaders!)).Host, "sts.ap-south-1.amazonaws.com");
  });

  it("fails with one line saying to set AWS_REGION when there is no region and no metadata service", async () => {
    context.stub.route("PUT /latest/api/token", { status: 404 });
    const { AWS_REGION: _, ...noRegion } = env;
    await assert.rejects(login(backend(), {}, { http: context.http, env: { ...noRegion, AWS_EC2_METADATA_SERVICE_ENDPOINT: context.stub.url.href } }), (error: KeybridgeError) => {
      assert.equal(error.code, "KB_INPUT_INVALID");
      assert.match(error.message, /AWS region unknown: AWS_REGION is not set .*HTTP 404.*set AWS_REGION/);
      assert.ok(!error.message.includes("\n"));
      return true;
    });
  });
});
