// The dev backend's --verbose request lines ("GET /v1/secret/data/x 200 1ms"), read as they arrive,
// so a benchmark can check after every run that exactly the expected requests were made.
import type { RunningDevBackend } from "../../testkit/launch-dev-backend.ts";
import { waitFor } from "./context.ts";

export const requestLine = /^([A-Z]+) (\S+) (\d{3}) \d+ms$/;

export class RequestLog {
  private offset: number;

  constructor(private readonly backend: RunningDevBackend) {
    this.offset = backend.stderr().length;
  }

  private pending(): string[] {
    const text = this.backend.stderr().slice(this.offset);
    const end = text.lastIndexOf("\n");
    return end === -1 ? [] : text.slice(0, end).split("\n");
  }

  /** Waits for `count` new lines (and a little more, to catch extra ones), then takes them all. */
  async take(count: number): Promise<string[]> {
    await waitFor(() => this.pending().length >= count, 3_000);
    await new Promise((resolve) => setTimeout(resolve, 15));
    const lines = this.pending();
    this.offset += lines.reduce((sum, line) => sum + line.length + 1, 0);
    return lines;
  }
}
