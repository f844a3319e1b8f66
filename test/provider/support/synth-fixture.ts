// Prints the fixture's synthesized Terraform JSON and policy document, and which CDK framework
// the constructs ran on, for the cdktf/cdktn comparison.
import { Testing } from "../../../provider/cdk.ts";
import { synthScope } from "./testing-app.ts";
import { declareMlTraining } from "../fixtures.ts";

async function frameworkOf(testing: unknown): Promise<string> {
  for (const name of ["cdktf", "cdktn"]) {
    const loaded = await import(name).catch(() => undefined);
    if (loaded?.Testing === testing) return name;
  }
  return "unknown";
}

let policy = "";
const terraform = synthScope((stack) => {
  policy = JSON.stringify(declareMlTraining(stack).toPolicyDocument());
});
process.stdout.write(JSON.stringify({ terraform, policy, framework: await frameworkOf(Testing) }));
