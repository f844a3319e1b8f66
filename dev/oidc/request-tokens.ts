// The ACTIONS_ID_TOKEN_REQUEST_TOKEN values handed out so far, each tied to a job's claims.
// Presented tokens are compared against every stored digest in constant time.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { JobClaims } from "./job-claims.ts";

const digest = (token: string): Buffer => createHash("sha256").update(token, "utf8").digest();

export class RequestTokens {
  private readonly entries: { readonly digest: Buffer; readonly job: JobClaims }[] = [];

  issue(job: JobClaims): string {
    const token = randomBytes(32).toString("base64url");
    this.entries.push({ digest: digest(token), job });
    return token;
  }

  find(token: string): JobClaims | undefined {
    const presented = digest(token);
    let found: JobClaims | undefined;
    for (const entry of this.entries) if (timingSafeEqual(entry.digest, presented)) found = entry.job;
    return found;
  }
}
