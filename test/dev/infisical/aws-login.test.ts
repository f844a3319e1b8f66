// Infisical's AWS IAM auth in keybridge dev, in-process with a test clock: a GetCallerIdentity
// request signed with a declared access key logs in (an assumed role counting as its role); every
// refusal is Infisical's 401 (an undeclared key, a wrong secret, a signature older than 15
// minutes, another STS action or host, an account or principal the identity does not allow), an
// identity without AWS auth is a 404, and the applier refuses a malformed account id.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { signedGetCallerIdentity, signV4 } from "../../../client/auth/infisical-aws-iam.ts";
import { arnAllowed, principalArn } from "../../../dev/infisical/aws-login.ts";
import { parseAwsKeys } from "../../../bin/dev/aws-keys.ts";
import { orgId, ref, startInfisicalBackend, type InfisicalTestBackend } from "../../support/infisical-backend.ts";

const role = { accessKeyId: "ASIAEXAMPLEROLE00001", secretAccessKey: "role-secret-1", arn: "arn:aws:sts::111122223333:assumed-role/ci-build/session-1" };
const user = { accessKeyId: "AKIAEXAMPLEUSER00001", secretAccessKey: "user-secret-1", arn: "arn:aws:iam::111122223333:user/people/alice" };
const otherAccount = { accessKeyId: "AKIAEXAMPLEOTHER0001", secretAccessKey: "other-secret-1", arn: "arn:aws:iam::444455556666:role/ci-build" };

let backend: InfisicalTestBackend;

before(async () => {
  backend = await startInfisicalBackend({
    resource: {
      infisical_identity: { ci: { name: "ci", org_id: orgId, role: "no-access" }, bare: { name: "bare", org_id: orgId, role: "no-access" } },
      infisical_identity_aws_auth: {
        ci: {
          identity_id: ref("infisical_identity.ci", "id"),
          allowed_principal_arns: ["arn:aws:iam::111122223333:role/ci-*, arn:aws:iam::444455556666:role/ci-build"],
          allowed_account_ids: ["111122223333"],
          access_token_ttl: 300,
        },
      },
    },
    output: { ci: { value: ref("infisical_identity.ci", "id") }, bare: { value: ref("infisical_identity.bare", "id") } },
  }, { awsKeys: [role, user, otherAccount] });
});

after(() => backend?.close());

const now = () => new Date(backend.test.clock.ms);
const login = (identityId: string, signed: object) => backend.call("POST", "/api/v1/auth/aws-auth/login", { json: { identityId, ...signed } });

function refused(reply: { status: number; body: any }, message: RegExp): void {
  assert.equal(reply.status, 401, JSON.stringify(reply.body));
  assert.equal(reply.body.error, "UnauthorizedError");
  assert.match(reply.body.message, message);
}

describe("Infisical AWS IAM auth", () => {
  it("logs in an assumed role the identity allows, with the identity's token TTL", async () => {
    const reply = await login(backend.outputs.ci, signedGetCallerIdentity(role, "us-east-2", now()));
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal(reply.body.expiresIn, 300);
  });

  it("refuses an undeclared key, a wrong secret and a signature more than 15 minutes old", async () => {
    refused(await login(backend.outputs.ci, signedGetCallerIdentity({ ...role, accessKeyId: "AKIAUNKNOWN000000001" }, "us-east-2", now())), /InvalidClientTokenId/);
    refused(await login(backend.outputs.ci, signedGetCallerIdentity({ ...role, secretAccessKey: "wrong" }, "us-east-2", now())), /SignatureDoesNotMatch/);
    refused(await login(backend.outputs.ci, signedGetCallerIdentity(role, "us-east-2", new Date(backend.test.clock.ms - 16 * 60_000))), /SignatureExpired/);
  });

  it("refuses another STS action, another host and a scope of another region", async () => {
    const sign = (host: string, region: string, body: string) => {
      const headers = signV4({ method: "POST", host, path: "/", query: "", headers: { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" }, body }, { credentials: role, region, service: "sts", date: now() });
      return { iamHttpRequestMethod: "POST", iamRequestBody: Buffer.from(body).toString("base64"), iamRequestHeaders: Buffer.from(JSON.stringify(headers)).toString("base64") };
    };
    refused(await login(backend.outputs.ci, sign("sts.us-east-2.amazonaws.com", "us-east-2", "Action=AssumeRole&Version=2011-06-15")), /not an STS GetCallerIdentity POST/);
    refused(await login(backend.outputs.ci, sign("evil.example", "us-east-2", "Action=GetCallerIdentity&Version=2011-06-15")), /not an STS GetCallerIdentity POST \(host "evil.example"\)/);
    refused(await login(backend.outputs.ci, sign("sts.us-east-2.amazonaws.com", "eu-west-1", "Action=GetCallerIdentity&Version=2011-06-15")), /SignatureDoesNotMatch: the credential scope eu-west-1\/sts/);
  });

  it("refuses an account and a principal the identity does not allow, naming them", async () => {
    refused(await login(backend.outputs.ci, signedGetCallerIdentity(otherAccount, "us-east-1", now())), /AWS account ID not allowed\. \(account 444455556666\)/);
    refused(await login(backend.outputs.ci, signedGetCallerIdentity(user, "us-east-1", now())), /AWS principal ARN not allowed\. \(principal arn:aws:iam::111122223333:user\/alice\)/);
  });

  it("answers 404 for an identity without AWS auth", async () => {
    const reply = await login(backend.outputs.bare, signedGetCallerIdentity(role, "us-east-2", now()));
    assert.equal(reply.status, 404);
    assert.match(reply.body.message, /AWS auth method not found for identity/);
  });

  it("never echoes a secret access key", async () => {
    const reply = await login(backend.outputs.ci, signedGetCallerIdentity({ ...role, secretAccessKey: "wrong-secret-echo" }, "us-east-2", now()));
    assert.ok(!JSON.stringify(reply.body).includes("wrong-secret-echo") && !JSON.stringify(reply.body).includes(role.secretAccessKey));
  });
});

describe("principal ARNs", () => {
  it("reads an assumed role as its role and a user without its path", () => {
    assert.equal(principalArn("arn:aws:sts::111122223333:assumed-role/ci-build/session-1"), "arn:aws:iam::111122223333:role/ci-build");
    assert.equal(principalArn("arn:aws:iam::111122223333:user/people/alice"), "arn:aws:iam::111122223333:user/alice");
  });

  it("matches * across any characters, / included, and everything else literally", () => {
    assert.ok(arnAllowed("arn:aws:iam::111122223333:*", "arn:aws:iam::111122223333:role/a/b"));
    assert.ok(!arnAllowed("arn:aws:iam::111122223333:role/ci.build", "arn:aws:iam::111122223333:role/ciXbuild"));
  });
});

describe("declaring keys and AWS auth", () => {
  it("--aws-key takes ID=ARN with the secret from the environment, and refuses a malformed one naming the value", () => {
    assert.deepEqual(parseAwsKeys(["AKIAEXAMPLE00000001=arn:aws:iam::123456789012:user/ci"], { KEYBRIDGE_DEV_AWS_SECRET_AKIAEXAMPLE00000001: "s" }),
      [{ accessKeyId: "AKIAEXAMPLE00000001", secretAccessKey: "s", arn: "arn:aws:iam::123456789012:user/ci" }]);
    assert.throws(() => parseAwsKeys(["AKIAEXAMPLE00000001=arn:aws:iam::123456789012:user/ci"], {}), /set its secret access key in KEYBRIDGE_DEV_AWS_SECRET_AKIAEXAMPLE00000001/);
    assert.throws(() => parseAwsKeys(["AKIAEXAMPLE00000001"], {}), /--aws-key takes ACCESS_KEY_ID=ARN.*got "AKIAEXAMPLE00000001"/);
  });

  it("refuses an allowed_account_ids entry that is not twelve digits", async () => {
    const document = {
      resource: {
        infisical_identity: { ci: { name: "ci", org_id: orgId, role: "no-access" } },
        infisical_identity_aws_auth: { ci: { identity_id: ref("infisical_identity.ci", "id"), allowed_account_ids: ["12345"] } },
      },
    };
    await assert.rejects(startInfisicalBackend(document), /allowed_account_ids of identity .* holds "12345", not a twelve-digit AWS account id/);
  });
});
