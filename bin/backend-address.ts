// A backend address from a flag or the environment, checked once for every command that takes one.
import { UsageError } from "./usage-error.ts";

export function parseBackendAddress(address: string): URL {
  try {
    const url = new URL(address);
    if (url.protocol === "http:" || url.protocol === "https:") return url;
  } catch {
    // Reported below, with the same advice as a wrong scheme.
  }
  throw new UsageError(`the address "${address}" is not an http(s) URL; write it in full, for example https://vault.internal:8200`);
}
