// `keybridge dev --aws-key ACCESS_KEY_ID=ARN`: an AWS access key the dev backend plays STS for, so
// that Infisical's AWS IAM login can be tried without AWS. The secret access key is read from the
// environment variable KEYBRIDGE_DEV_AWS_SECRET_<ACCESS_KEY_ID>, never from the command line
// (where `ps` would show it).
import type { DevAwsKey } from "../../dev/infisical/aws-signature.ts";
import { UsageError } from "../usage-error.ts";

export const awsSecretEnvPrefix = "KEYBRIDGE_DEV_AWS_SECRET_";

export function parseAwsKeys(texts: readonly string[], env: Readonly<Record<string, string | undefined>>): DevAwsKey[] {
  return texts.map((text) => {
    const equals = text.indexOf("=");
    const accessKeyId = text.slice(0, Math.max(equals, 0)).trim();
    const arn = text.slice(equals + 1).trim();
    if (equals <= 0 || !/^[A-Z0-9]{16,128}$/.test(accessKeyId) || !/^arn:aws[a-z-]*:(iam|sts)::\d{12}:\S+$/.test(arn)) {
      throw new UsageError(`--aws-key takes ACCESS_KEY_ID=ARN, e.g. AKIAEXAMPLE00000001=arn:aws:iam::123456789012:user/ci, got "${text}"`);
    }
    const secretAccessKey = env[`${awsSecretEnvPrefix}${accessKeyId}`];
    if (!secretAccessKey) throw new UsageError(`--aws-key ${accessKeyId}: set its secret access key in ${awsSecretEnvPrefix}${accessKeyId}`);
    return { accessKeyId, secretAccessKey, arn };
  });
}
