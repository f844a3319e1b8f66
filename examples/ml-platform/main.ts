// The example secrets app on Vault. `keybridge synth examples/ml-platform/main.ts --out cdktf.out`
// writes cdktf.out/stacks/secrets/{cdk.tf.json,keybridge.policy.json}.
import { App, LocalBackend, TerraformStack, VaultBackend } from "../../provider/index.ts";
import { declarePlatform } from "./platform.ts";

const app = new App();
const stack = new TerraformStack(app, "secrets");
// A relative state path keeps cdk.tf.json free of machine paths.
new LocalBackend(stack, { path: "terraform.secrets.tfstate" });
declarePlatform(stack, VaultBackend.kvV2({ mount: "secret" }));
app.synth();
