// Finds and reads the policy documents a plan compares: a keybridge.policy.json file, a stack
// directory holding one, or a cdktf.out directory with a single stack.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { loadPolicyDocument } from "../policy/load.ts";
import type { PolicyDocument } from "../policy/document.ts";
import type { SharedPrincipals } from "../policy/load-valid.ts";
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";

export const policyFileName = "keybridge.policy.json";

export interface PolicyFile {
  readonly path: string;
  /** The stack the document belongs to (its directory's name), which keys the sticky comment. */
  readonly stack: string;
  readonly document: PolicyDocument;
}

function invalid(name: string, given: string, problem: string): KeybridgeError {
  return new KeybridgeError("KB_INPUT_INVALID", `${name} ${given}: ${problem}`);
}

function locate(name: string, given: string): string {
  if (!existsSync(given)) throw invalid(name, given, `does not exist; give ${policyFileName}, its stack directory, or the synth output directory`);
  if (!statSync(given).isDirectory()) return given;
  const direct = join(given, policyFileName);
  if (existsSync(direct)) return direct;
  const stacksDir = join(given, "stacks");
  const stacks = existsSync(stacksDir) ? readdirSync(stacksDir).filter((stack) => existsSync(join(stacksDir, stack, policyFileName))) : [];
  if (stacks.length === 1) return join(stacksDir, stacks[0]!, policyFileName);
  if (stacks.length > 1) throw invalid(name, given, `holds ${stacks.length} stacks (${stacks.join(", ")}); give one stack's directory, for example ${join(stacksDir, stacks[0]!)}`);
  throw invalid(name, given, `holds no ${policyFileName}; run keybridge synth first, or give the file`);
}

/** `principals`: files read with the same pool share equal principals (a plan's base and head). */
export function readPolicyFile(name: string, given: string, principals?: SharedPrincipals): PolicyFile {
  const path = locate(name, given);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw invalid(name, path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const loaded = loadPolicyDocument(text, principals);
  if (!loaded.ok) {
    const more = loaded.problems.length > 3 ? ` (and ${loaded.problems.length - 3} more)` : "";
    throw invalid(name, path, `is not a valid policy document: ${loaded.problems.slice(0, 3).join("; ")}${more}`);
  }
  return { path, stack: basename(dirname(resolve(path))), document: loaded.document };
}

/** A `terraform show -json` file, parsed; its content is never echoed (it holds secret values). */
export function readTerraformPlanFile(name: string, given: string): unknown {
  if (!existsSync(given)) throw invalid(name, given, "does not exist; write it with terraform show -json plan.out > plan.json");
  try {
    return JSON.parse(readFileSync(given, "utf8"));
  } catch {
    throw invalid(name, given, "is not JSON; write it with terraform show -json plan.out > plan.json");
  }
}
