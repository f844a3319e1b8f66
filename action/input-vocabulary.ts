// Which action a step was written for, and one value per input however it was spelled. A step
// written for vault-action or Infisical/secrets-action gets that action's defaults; two spellings
// of one input that disagree stop the step with a line that names both.
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";
import { inputSpecs, inputTable, spellingsOf, type InputOwner } from "./input-table.ts";

export type Vocabulary = InputOwner;

export class StepInputs {
  constructor(private readonly raw: Readonly<Record<string, string>>) {}

  /** The value as the runner sent it (declared defaults applied). */
  value(name: string): string {
    return this.raw[name] ?? "";
  }

  /** Written by the user: not empty, and not just the default action.yml declares. */
  given(name: string): boolean {
    const value = this.value(name);
    return value !== "" && value !== inputSpecs.get(name)?.default;
  }

  /**
   * The value of a Keybridge input under whichever spelling was used; `name` is that spelling.
   * Two spellings with different values are an error that names both (values of secret inputs hidden).
   */
  spelled(canonical: string): { readonly value: string; readonly name: string } {
    const used = spellingsOf(canonical).filter((name) => this.value(name) !== "");
    const [first, ...rest] = used;
    if (first === undefined) return { value: this.value(canonical), name: canonical };
    const normal = (name: string) => this.value(name).trim();
    const other = rest.find((name) => normal(name) !== normal(first));
    if (other !== undefined) {
      const secret = inputSpecs.get(first)?.secret === true;
      const shown = (name: string) => (secret ? name : `${name} ("${this.value(name).split("\n")[0]}")`);
      throw new KeybridgeError("KB_INPUT_INVALID", `Inputs ${shown(first)} and ${shown(other)} are two spellings of one input and disagree: keep one of them`);
    }
    return { value: this.value(first), name: first };
  }
}

const onlyOwner = (owner: InputOwner) =>
  inputTable.filter((spec) => spec.mode === undefined && spec.owners.length === 1 && spec.owners[0] === owner).map((spec) => spec.name);

const vaultActionOnly = onlyOwner("vault-action");
const infisicalOnly = onlyOwner("infisical");
const keybridgeOnly = onlyOwner("keybridge").filter((name) => name !== "mode");
const infisicalMethods = new Set(["oidc", "universal", "aws-iam"]);

/**
 * The action a step was written for. An input only one peer has decides; a step with Keybridge's
 * own inputs and none of a peer's is Keybridge's; a step of shared inputs only (url, secrets,
 * method, token …) that names a method or a token is a working vault-action step.
 */
export function vocabularyOf(inputs: StepInputs): Vocabulary {
  if (infisicalOnly.some((name) => inputs.given(name)) || infisicalMethods.has(inputs.value("method").toLowerCase())) return "infisical";
  if (vaultActionOnly.some((name) => inputs.given(name))) return "vault-action";
  if (keybridgeOnly.some((name) => inputs.given(name))) return "keybridge";
  return inputs.given("method") || inputs.given("token") ? "vault-action" : "keybridge";
}
