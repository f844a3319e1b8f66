// A length of time with its unit in the type, not in a property name (`tokenTtl:
// Duration.minutes(10)`, never `tokenTtlMinutes: 10`).
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";

export class Duration {
  static seconds(amount: number): Duration {
    return new Duration(amount, 1, "second");
  }

  static minutes(amount: number): Duration {
    return new Duration(amount, 60, "minute");
  }

  static hours(amount: number): Duration {
    return new Duration(amount, 3600, "hour");
  }

  static days(amount: number): Duration {
    return new Duration(amount, 86_400, "day");
  }

  private constructor(
    private readonly amount: number,
    private readonly unitSeconds: number,
    private readonly unit: string,
  ) {
    if (!Number.isFinite(amount) || amount <= 0 || !Number.isInteger(amount * unitSeconds)) {
      throw new KeybridgeError("KB_CONSTRUCT_INVALID", `Duration.${unit}s(${amount}): give a positive amount that is a whole number of seconds`);
    }
  }

  toSeconds(): number {
    return this.amount * this.unitSeconds;
  }

  /** "10 minutes", "30 days". */
  toString(): string {
    return `${this.amount} ${this.unit}${this.amount === 1 ? "" : "s"}`;
  }
}
