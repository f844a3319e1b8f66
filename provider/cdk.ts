// Every import of the CDK framework goes through this module, so the constructs run under cdktf
// (archived upstream) or cdktn (its maintained fork), whichever the user's app has installed: the
// two share this API. KEYBRIDGE_CDK=cdktf|cdktn picks one when both are installed; otherwise cdktf
// is tried first, then cdktn. The types are cdktf's, which cdktn keeps. Both are CommonJS: loading
// them with require() keeps this module free of top-level await, so apps that are CommonJS (a .ts
// app in a package without "type": "module") can still require the constructs.
import { createRequire } from "node:module";
import type * as Cdk from "cdktf";
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";

const frameworks = ["cdktf", "cdktn"] as const;

function isMissing(error: unknown, name: string): boolean {
  const { code, message } = error as NodeJS.ErrnoException;
  return (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && String(message).includes(`'${name}'`);
}

function loadFramework(): { name: (typeof frameworks)[number]; framework: typeof Cdk } {
  const require = createRequire(import.meta.url);
  const chosen = process.env.KEYBRIDGE_CDK;
  if (chosen !== undefined && chosen !== "" && !(frameworks as readonly string[]).includes(chosen)) {
    throw new KeybridgeError("KB_USAGE", `KEYBRIDGE_CDK is "${chosen}"; set it to cdktf or cdktn, or unset it`);
  }
  for (const name of chosen ? [chosen as (typeof frameworks)[number]] : frameworks) {
    try {
      return { name, framework: require(name) as typeof Cdk };
    } catch (error) {
      if (!isMissing(error, name)) throw error;
    }
  }
  const which = chosen ? `${chosen} (KEYBRIDGE_CDK)` : "cdktf or cdktn";
  throw new KeybridgeError("KB_USAGE", `the Keybridge constructs need ${which} beside constructs; install one: npm install cdktf constructs`);
}

const { name: loadedName, framework: cdk } = loadFramework();
/** Which framework the constructs run under (their writers format cdk.tf.json slightly differently). */
export const frameworkName = loadedName;

export const { App, TerraformStack, TerraformOutput, TerraformResource, TerraformDataSource, TerraformProvider, LocalBackend, Annotations, Aspects, Testing, Lazy } = cdk;
export type App = Cdk.App;
export type TerraformStack = Cdk.TerraformStack;
export type TerraformOutput = Cdk.TerraformOutput;
export type TerraformResource = Cdk.TerraformResource;
export type TerraformDataSource = Cdk.TerraformDataSource;
export type TerraformProvider = Cdk.TerraformProvider;
export type LocalBackend = Cdk.LocalBackend;
export type Testing = Cdk.Testing;
export type { ISynthesisSession, IStackSynthesizer, IResolvable, IResolveContext } from "cdktf";
export { Construct, Node, type IConstruct } from "constructs";
