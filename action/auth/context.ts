// What a login may use besides the backend: HTTP for GitHub's token service, the job's OIDC
// request pair, and a way to mask every credential it handles before anything could print it.
import type { HttpClient } from "../http/http-client.ts";
import type { OidcRequest } from "../oidc.ts";

export interface LoginContext {
  readonly http: HttpClient;
  /** Present when the job may request an OIDC token. */
  readonly oidc: OidcRequest | undefined;
  readonly mask: (secret: string) => void;
  readonly log: (line: string) => void;
}
