// The same secrets app on Infisical. `keybridge synth examples/ml-platform/infisical.ts --out cdktf.out`
// writes cdktf.out/stacks/secrets/{cdk.tf.json,keybridge.policy.json} with infisical_* resources.
import { App, InfisicalBackend, LocalBackend, TerraformStack } from "../../provider/index.ts";
import { declarePlatform } from "./platform.ts";

const app = new App();
const stack = new TerraformStack(app, "secrets");
new LocalBackend(stack, { path: "terraform.secrets.tfstate" });
declarePlatform(stack, InfisicalBackend.project({
  url: process.env.INFISICAL_URL ?? "https://secrets.acme.internal",
  organizationId: process.env.INFISICAL_ORGANIZATION_ID ?? "2b1c9d7e-5f3a-4c61-9d0e-7a4b8c2d1e6f",
  tokenUsesLimit: 100,
}));
app.synth();
