// How often a secret must be rotated. Enum-like: build one with a static factory.
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";
import { Duration } from "./duration.ts";
import { describeDuration } from "../policy/duration-text.ts";
import type { Rotation as RotationDocument } from "../policy/document.ts";

const shortest = Duration.hours(1).toSeconds();
const longest = Duration.days(1000).toSeconds();

export class Rotation {
  /** People rotate the secret; the Action warns (or fails) when it is older than `maxAge`. */
  static every(maxAge: Duration): Rotation {
    return new Rotation(maxAge, "manual");
  }

  /** The backend rotates it (a Vault static role, an Infisical rotation); `maxAge` is its period. */
  static byBackend(period: Duration): Rotation {
    return new Rotation(period, "backend");
  }

  private constructor(
    readonly maxAge: Duration,
    readonly strategy: RotationDocument["strategy"],
  ) {
    const seconds = maxAge.toSeconds();
    if (seconds < shortest || seconds > longest) {
      throw new KeybridgeError("KB_CONSTRUCT_INVALID", `Rotation period ${describeDuration(seconds)} is out of bounds: give one between 1 hour and 1000 days`);
    }
  }

  toDocument(): RotationDocument {
    return { maxAgeSeconds: this.maxAge.toSeconds(), strategy: this.strategy };
  }
}
