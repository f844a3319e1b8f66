// Prints the fixture's synthesized Terraform JSON and policy document, and which cdk library
// the process used, for the cdktf/cdktn comparison.
import { createRequire } from "node:module";
import { Testing } from "../../../provider/cdk.ts";
import { declareMlTraining } from "../fixtures.ts";

let policy = "";
const terraform = Testing.synthScope((stack) => {
  policy = JSON.stringify(declareMlTraining(stack).toPolicyDocument());
});
const library = createRequire(import.meta.url)("@cdktf/provider-vault/lib/mount/index.js");
const cdkOfBindings = Object.getPrototypeOf(library.Mount.prototype).constructor.name;
process.stdout.write(JSON.stringify({ terraform, policy, cdkOfBindings, resolved: import.meta.resolve("cdktf") }));
