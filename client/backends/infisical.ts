// Infisical: OIDC, universal, Kubernetes and AWS IAM login of a machine identity, reads of a folder through the v3 raw secrets API (by
// project slug) or v4 (by project id), and token revocation. A secret that can be listed but not
// read comes back with a placeholder value: it is an error, never exported.
import * as z from "zod/mini";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import type { HttpClient, HttpResponse } from "../http/http-client.ts";
import { describeClaims } from "../oidc.ts";
import { isRetryableStatus } from "../http/retry.ts";
import type { Renewal, RevokeOutcome, SecretRead, SecretsBackend, Session } from "./backend.ts";
import { infisicalApiUrl, infisicalMessage } from "./answers.ts";
import { revokeInfisicalToken } from "./revocation.ts";
import type { SignedCallerIdentity } from "../auth/infisical-aws-iam.ts";

/** Where an Infisical read goes; each secrets line's path is a folder of this environment. */
export interface InfisicalScope {
  readonly identityId: string | undefined;
  /** A project slug (read through the v3 API) or a project id (v4). */
  readonly project: string;
  readonly environment: string;
  readonly recursive: boolean;
  readonly includeImports: boolean;
  readonly expandReferences: boolean;
}

export interface InfisicalOptions extends InfisicalScope {
  readonly url: URL;
  /** Sent with every request (the extra-headers input). */
  readonly extraHeaders?: Readonly<Record<string, string>>;
}

const projectId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const loginResponse = z.object({ accessToken: z.string().check(z.minLength(1)), expiresIn: z.number() });

const secret = z.object({
  secretKey: z.string(),
  secretValue: z.string(),
  secretValueHidden: z.optional(z.boolean()),
  secretPath: z.optional(z.string()),
});
const secretsResponse = z.object({
  secrets: z.array(secret),
  imports: z.optional(z.array(z.object({ secretPath: z.optional(z.string()), environment: z.optional(z.string()), secrets: z.array(secret) }))),
});

/** Infisical checks a role's secretPath condition against the path exactly as sent: "/database". */
function folderOf(path: string): string {
  return `/${path.replace(/^\/+/, "")}`;
}

/** The deepest folder every one of `folders` is in or is: "/apps" for /apps/web and /apps/api. */
export function commonRoot(folders: readonly string[]): string {
  const split = folders.map((folder) => folder.split("/").filter(Boolean));
  const shared: string[] = [];
  for (let depth = 0; split.length > 0 && split.every((parts) => depth < parts.length && parts[depth] === split[0]![depth]); depth++) shared.push(split[0]![depth]!);
  return `/${shared.join("/")}`;
}

export class InfisicalBackend implements SecretsBackend {
  readonly name = "Infisical";

  constructor(
    private readonly http: HttpClient,
    private readonly options: InfisicalOptions,
  ) {}

  async loginWithJwt(jwt: string): Promise<Session> {
    const response = await this.http.request({
      method: "POST",
      url: this.apiUrl("/api/v1/auth/oidc-auth/login"),
      headers: this.headers(),
      body: { identityId: this.options.identityId, jwt },
      purpose: "logging in to Infisical with OIDC auth",
    });
    if (isRetryableStatus(response.status)) throw this.unavailable("the login", response);
    if (response.status !== 200) throw this.loginRefused(response, jwt);
    const parsed = loginResponse.safeParse(response.json);
    if (!parsed.success) throw this.unexpectedAnswer("login");
    return { token: parsed.data.accessToken, ttlSeconds: parsed.data.expiresIn, policies: [], renewable: false, owned: true };
  }

  /** Kubernetes auth: a service-account token, which Infisical reviews at the identity's cluster. */
  async loginWithKubernetes(jwt: string): Promise<Session> {
    const response = await this.http.request({
      method: "POST",
      url: this.apiUrl("/api/v1/auth/kubernetes-auth/login"),
      headers: this.headers(),
      body: { identityId: this.options.identityId, jwt },
      purpose: "logging in to Infisical with Kubernetes auth",
    });
    if (isRetryableStatus(response.status)) throw this.unavailable("the login", response);
    if (response.status !== 200) {
      const advice = response.status === 404
        ? "Kubernetes auth is not configured for this identity: check the identity id, or attach Kubernetes auth to the identity"
        : `the identity's allowed namespaces, service account names and audience must admit the token's (${describeClaims(jwt)}), and its kubernetes_host must be the cluster that minted it`;
      throw new KeybridgeError("KB_LOGIN_REFUSED",
        `Infisical refused the Kubernetes login of identity ${this.options.identityId ?? "(none)"} (HTTP ${response.status}): ${infisicalMessage(response)}; ${advice}`);
    }
    const parsed = loginResponse.safeParse(response.json);
    if (!parsed.success) throw this.unexpectedAnswer("login");
    return { token: parsed.data.accessToken, ttlSeconds: parsed.data.expiresIn, policies: [], renewable: false, owned: true };
  }

  /** AWS IAM auth: a signed STS GetCallerIdentity request, which Infisical sends to STS. */
  async loginWithAwsIam(signed: SignedCallerIdentity): Promise<Session> {
    const response = await this.http.request({
      method: "POST",
      url: this.apiUrl("/api/v1/auth/aws-auth/login"),
      headers: this.headers(),
      body: { identityId: this.options.identityId, ...signed },
      purpose: "logging in to Infisical with AWS IAM auth",
    });
    if (isRetryableStatus(response.status)) throw this.unavailable("the login", response);
    if (response.status !== 200) {
      const advice = response.status === 404
        ? "AWS auth is not configured for this identity: check the identity id, or attach AWS auth to the identity"
        : "the identity's allowed principal ARNs and account ids must admit the AWS principal of these credentials, and the credentials must be valid and current";
      throw new KeybridgeError("KB_LOGIN_REFUSED",
        `Infisical refused the AWS IAM login of identity ${this.options.identityId ?? "(none)"} (HTTP ${response.status}): ${infisicalMessage(response)}; ${advice}`);
    }
    const parsed = loginResponse.safeParse(response.json);
    if (!parsed.success) throw this.unexpectedAnswer("login");
    return { token: parsed.data.accessToken, ttlSeconds: parsed.data.expiresIn, policies: [], renewable: false, owned: true };
  }

  /** Universal auth: the machine identity's client id and secret. */
  async loginWithUniversalAuth(clientId: string, clientSecret: string): Promise<Session> {
    const response = await this.http.request({
      method: "POST",
      url: this.apiUrl("/api/v1/auth/universal-auth/login"),
      headers: this.headers(),
      body: { clientId, clientSecret },
      purpose: "logging in to Infisical with universal auth",
    });
    if (isRetryableStatus(response.status)) throw this.unavailable("the login", response);
    if (response.status !== 200) {
      throw new KeybridgeError("KB_LOGIN_REFUSED",
        `Infisical refused the universal auth login of client id ${clientId} (HTTP ${response.status}): ${infisicalMessage(response)}; check the client-id and client-secret inputs (a client secret may be expired, revoked or out of uses)`);
    }
    const parsed = loginResponse.safeParse(response.json);
    if (!parsed.success) throw this.unexpectedAnswer("login");
    return { token: parsed.data.accessToken, ttlSeconds: parsed.data.expiresIn, policies: [], renewable: false, owned: true };
  }

  async useToken(token: string): Promise<Session> {
    // Infisical has no token lookup a machine identity may call: the first read tells.
    return { token, ttlSeconds: 0, policies: [], renewable: false, owned: false };
  }

  async read(session: Session, path: string): Promise<SecretRead> {
    const folder = folderOf(path);
    return { path, ...this.merge(folder, await this.list(session, folder, this.options.recursive)), lease: undefined, writtenAt: undefined, customMetadata: undefined };
  }

  /**
   * Folders that share a root below "/" in one recursive request, split by each secret's
   * secretPath, as Infisical's own action reads a tree. Only without imports (Infisical answers a
   * recursive read with the root's imports alone) and without recursive (a folder would then hold
   * its subfolders). A folder the answer does not show (empty, missing or refused) and any failure
   * of the request are left to the per-folder reads, which say what is wrong.
   */
  async readBatch(session: Session, paths: readonly string[]): Promise<ReadonlyMap<string, SecretRead>> {
    const reads = new Map<string, SecretRead>();
    const folders = paths.map(folderOf);
    const root = commonRoot(folders);
    if (this.options.recursive || this.options.includeImports || new Set(folders).size < 2 || root === "/") return reads;
    let answer: z.infer<typeof secretsResponse>;
    try {
      answer = await this.list(session, root, true);
    } catch {
      return reads;
    }
    const byFolder = new Map<string, z.infer<typeof secret>[]>();
    for (const entry of answer.secrets) {
      if (entry.secretPath === undefined) return reads;
      byFolder.set(entry.secretPath, [...(byFolder.get(entry.secretPath) ?? []), entry]);
    }
    paths.forEach((path, index) => {
      const entries = byFolder.get(folders[index]!);
      if (!entries) return;
      reads.set(path, { path, ...this.merge(folders[index]!, { secrets: entries }), lease: undefined, writtenAt: undefined, customMetadata: undefined });
    });
    return reads;
  }

  /** One list request of a folder (and, with `recursive`, every folder below it). */
  private async list(session: Session, folder: string, recursive: boolean): Promise<z.infer<typeof secretsResponse>> {
    const { project, environment, includeImports, expandReferences } = this.options;
    const byId = projectId.test(project);
    const url = this.apiUrl(byId ? "/api/v4/secrets" : "/api/v3/secrets/raw");
    const query = url.searchParams;
    query.set(byId ? "projectId" : "workspaceSlug", project);
    query.set("environment", environment);
    query.set("secretPath", folder);
    // Infisical's booleans are the strings "true"/"false", and the imports flag is snake_case.
    query.set("recursive", String(recursive));
    query.set("include_imports", String(includeImports));
    query.set("expandSecretReferences", String(expandReferences));
    const response = await this.http.request({ method: "GET", url, headers: this.headers({ authorization: `Bearer ${session.token}` }), purpose: `reading ${folder}` });
    if (response.status === 200) {
      const parsed = secretsResponse.safeParse(response.json);
      if (!parsed.success) throw this.readFailure(folder, "the answer is not a list of secrets");
      return parsed.data;
    }
    if (response.status === 404) throw new KeybridgeError("KB_SECRET_NOT_FOUND", `${folder}: not found in ${environment} of ${project} (HTTP 404): ${infisicalMessage(response)}`);
    if (response.status === 401) throw this.readFailure(folder, `the access token was refused (HTTP 401): ${infisicalMessage(response)}`);
    if (response.status === 403) {
      const references = expandReferences ? "; with expand-references, a ${KEY} reference to a secret outside the grant also refuses the whole read" : "";
      throw this.readFailure(folder, `permission denied (HTTP 403): ${infisicalMessage(response)}; give the identity read on ${environment}:${folder}${references}`);
    }
    if (isRetryableStatus(response.status)) throw this.unavailable(`reading ${folder}`, response);
    throw this.readFailure(folder, `HTTP ${response.status}: ${infisicalMessage(response)}`);
  }

  revoke(token: string): Promise<RevokeOutcome> {
    return revokeInfisicalToken(this.http, this.options.url, token, this.options.extraHeaders);
  }

  async renewToken(session: Session): Promise<Renewal> {
    const response = await this.http.request({
      method: "POST",
      url: this.apiUrl("/api/v1/auth/token/renew"),
      headers: this.headers(),
      body: { accessToken: session.token },
      purpose: "renewing the Infisical access token",
    });
    const parsed = loginResponse.safeParse(response.json);
    if (response.status !== 200 || !parsed.success) throw new KeybridgeError("KB_RENEW_FAILED", `renewing the Infisical access token: HTTP ${response.status}: ${infisicalMessage(response)}`);
    return { ttlSeconds: parsed.data.expiresIn, renewable: true };
  }

  /** Infisical hands out no leases with secrets. */
  async renewLease(): Promise<Renewal> {
    throw new KeybridgeError("KB_RENEW_FAILED", "Infisical secrets have no leases to renew");
  }

  async revokeLease(): Promise<void> {}

  /**
   * The folder's own secrets win over imported ones; among imports the last one wins, as in
   * Infisical. Hidden values are collected apart and never exported.
   */
  private merge(folder: string, answer: Pick<z.infer<typeof secretsResponse>, "secrets" | "imports">): Pick<SecretRead, "data" | "hiddenKeys"> {
    const data: Record<string, string> = {};
    const hiddenKeys = new Set<string>();
    const from = new Map<string, string>();
    const take = (entry: z.infer<typeof secret>) => {
      if (Object.hasOwn(data, entry.secretKey) || hiddenKeys.has(entry.secretKey)) return;
      if (entry.secretValueHidden) hiddenKeys.add(entry.secretKey);
      else data[entry.secretKey] = entry.secretValue;
    };
    for (const entry of answer.secrets) {
      // With recursive, two folders may hold the same key: picking one silently would be a guess.
      const where = entry.secretPath ?? folder;
      const earlier = from.get(entry.secretKey);
      if (earlier !== undefined && earlier !== where) {
        throw this.readFailure(folder, `key "${entry.secretKey}" is in both ${earlier} and ${where} (recursive); read the folders on separate lines with their own | NAME`);
      }
      from.set(entry.secretKey, where);
      take(entry);
    }
    for (const imported of [...(answer.imports ?? [])].reverse()) for (const entry of imported.secrets) take(entry);
    return { data, hiddenKeys };
  }

  private loginRefused(response: HttpResponse, jwt: string): KeybridgeError {
    const message = infisicalMessage(response);
    const claims = describeClaims(jwt);
    const advice: Record<number, string> = {
      403: `the identity's bound subject does not match the token's sub; the token has ${claims}`,
      401: `the audience, a bound claim or the issuer does not match; the token has ${claims}`,
      404: "OIDC auth is not configured for this identity: check the identity-id input, or attach OIDC auth to the identity",
      422: "the request was refused as invalid: check the identity-id input",
      400: "Infisical could not use the identity's OIDC configuration (a discovery URL it may not reach, or a bad CA): check the identity's OIDC auth settings",
    };
    return new KeybridgeError("KB_LOGIN_REFUSED",
      `Infisical refused the OIDC login of identity ${this.options.identityId ?? "(none)"} (HTTP ${response.status}): ${message}; ${advice[response.status] ?? `the token has ${claims}`}`);
  }

  private unavailable(what: string, response: HttpResponse): KeybridgeError {
    const wait = response.headers["retry-after"];
    return new KeybridgeError("KB_HTTP_FAILED",
      `Infisical kept answering HTTP ${response.status} (${infisicalMessage(response)}) to ${what} within the retry budget${wait ? `; it asked to wait ${String(wait)} s` : ""}; re-run later, or raise the timeout and retries inputs`);
  }

  private headers(own: Record<string, string> = {}): Record<string, string> {
    return { ...this.options.extraHeaders, ...own };
  }

  private apiUrl(path: string): URL {
    return infisicalApiUrl(this.options.url, path);
  }

  private readFailure(path: string, problem: string): KeybridgeError {
    return new KeybridgeError("KB_READ_FAILED", `${path}: ${problem}`);
  }

  private unexpectedAnswer(what: string): KeybridgeError {
    return new KeybridgeError("KB_HTTP_FAILED", `Infisical gave an unexpected answer to the ${what}; check that the url input points at Infisical (without /api)`);
  }
}
