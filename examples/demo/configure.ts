// Sets up the demo's secret policy on any Vault (keybridge dev, vault server -dev, bao server -dev)
// with an admin token: GitHub OIDC login, a least-privilege policy, one role, the secrets.
//
//   VAULT_ADDR=http://127.0.0.1:8200 VAULT_TOKEN=root npx tsx examples/demo/configure.ts
import { configureDemo, demoRole } from "../../testkit/demo-setup.ts";

const addr = process.env.VAULT_ADDR;
const token = process.env.VAULT_TOKEN;
if (!addr || !token) {
  console.error("configure: set VAULT_ADDR and VAULT_TOKEN (an admin token) first");
  process.exit(1);
}
await configureDemo({ addr, token });
console.log(`configured role ${demoRole.name} and secrets under secret/ml-training/prod at ${addr}`);
