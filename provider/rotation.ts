// How often a secret must be rotated, and who rotates it. Enum-like: build one with a static factory.
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";
import { Duration } from "./duration.ts";
import { describeDuration } from "../policy/duration-text.ts";
import type { Rotation as RotationDocument } from "../policy/document.ts";
import { generatorProblem, type GeneratorFormat, type Generator } from "../policy/rotation-generator.ts";

const shortest = Duration.hours(1).toSeconds();
const longest = Duration.days(1000).toSeconds();

/** A value Keybridge may make itself: a named format, or an alphabet of yours. */
export type GenerateOptions = { readonly every: Duration } & (
  | { readonly format: GeneratorFormat; readonly length?: number; readonly alphabet?: never }
  | { readonly alphabet: string; readonly length: number; readonly format?: never }
);

export class Rotation {
  /** People rotate the secret; the Action warns (or fails) when it is older than `maxAge`. */
  static every(maxAge: Duration): Rotation {
    return new Rotation(maxAge, "manual");
  }

  /** The backend rotates it (a Vault static role, an Infisical rotation); `maxAge` is its period. */
  static byBackend(period: Duration): Rotation {
    return new Rotation(period, "backend");
  }

  /**
   * `keybridge rotate` (or the Action's rotate mode) writes a new value for each key of the secret
   * when it is older than `every`: internal passwords, signing keys, webhook secrets, tokens
   * between your own services. Formats: hex, base64url, alphanumeric (length 16 to 4096,
   * @default 32) or uuid; or an alphabet of 2 to 256 printable characters and a length.
   */
  static generate(options: GenerateOptions): Rotation {
    const generator: Generator = options.alphabet !== undefined
      ? { alphabet: options.alphabet, length: options.length }
      : { format: options.format, ...(options.length !== undefined ? { length: options.length } : {}) };
    const problem = generatorProblem(options);
    if (problem) throw new KeybridgeError("KB_CONSTRUCT_INVALID", `Rotation.generate(): ${problem}`);
    return new Rotation(options.every, "generated", generator);
  }

  private constructor(
    readonly maxAge: Duration,
    readonly strategy: RotationDocument["strategy"],
    readonly generator?: Generator,
  ) {
    const seconds = maxAge.toSeconds();
    if (seconds < shortest || seconds > longest) {
      throw new KeybridgeError("KB_CONSTRUCT_INVALID", `Rotation period ${describeDuration(seconds)} is out of bounds: give one between 1 hour and 1000 days`);
    }
  }

  toDocument(): RotationDocument {
    return { maxAgeSeconds: this.maxAge.toSeconds(), strategy: this.strategy, ...(this.generator ? { generator: this.generator } : {}) };
  }
}
