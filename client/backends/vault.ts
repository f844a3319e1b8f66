// Vault and OpenBao (same API): JWT and AppRole login, reads of KV v1, KV v2 and any path that
// answers with `data`, token and lease renewal, and revocation. Refusals are turned into one line
// with Vault's own words and a fix.
import * as z from "zod/mini";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import type { HttpClient, HttpResponse } from "../http/http-client.ts";
import { describeClaims } from "../oidc.ts";
import { isRetryableStatus } from "../http/retry.ts";
import type { IssuedCertificate, Lease, Renewal, RevokeOutcome, SecretRead, SecretsBackend, Session } from "./backend.ts";
import { isRecord, kvV2Metadata, vaultApiUrl, vaultErrors, vaultHeaders, vaultReadAnswer } from "./answers.ts";
import { revokeVaultToken } from "./revocation.ts";


export interface VaultOptions {
  readonly name: "Vault" | "OpenBao";
  readonly url: URL;
  readonly namespace: string | undefined;
  /** The JWT auth mount, `jwt` unless configured otherwise. */
  readonly authPath: string;
  readonly role: string | undefined;
  /** Sent with every request (vault-action's extraHeaders). */
  readonly extraHeaders?: Readonly<Record<string, string>>;
}

/** A login at auth/<mount>/login[/<user>] with the method's body. */
export interface VaultLogin {
  /** The method's name, for messages: "Kubernetes", "userpass". */
  readonly what: string;
  readonly mount: string;
  /** userpass and ldap put the user's name after /login/. */
  readonly user?: string;
  readonly body: Readonly<Record<string, unknown>>;
  /** What to check when Vault refuses. */
  readonly advice: string;
}

const loginResponse = z.object({
  auth: z.object({
    client_token: z.string().check(z.minLength(1)),
    policies: z.nullable(z.optional(z.array(z.string()))),
    lease_duration: z.number(),
    renewable: z.optional(z.boolean()),
  }),
});

const renewResponse = z.object({ auth: z.object({ lease_duration: z.number(), renewable: z.optional(z.boolean()) }) });
const leaseResponse = z.object({ lease_duration: z.number(), renewable: z.optional(z.boolean()) });

const lookupSelfResponse = z.object({
  data: z.object({
    ttl: z.number(),
    policies: z.nullable(z.optional(z.array(z.string()))),
    renewable: z.optional(z.boolean()),
  }),
});

const issueResponse = z.object({
  data: z.object({
    certificate: z.string(),
    private_key: z.string(),
    issuing_ca: z.string(),
    ca_chain: z.optional(z.nullable(z.array(z.string()))),
    serial_number: z.string(),
  }),
});

function loginAdvice(message: string, options: VaultOptions): string {
  if (message.includes("could not load configuration")) return `the auth mount ${options.authPath} has no JWT configuration: write auth/${options.authPath}/config with oidc_discovery_url and bound_issuer`;
  if (message.includes("could not be found") || message.includes("missing role")) return "check the role input against the roles of the auth mount";
  if (message.includes("no audiences bound")) return "set bound_audiences on the role to the aud shown (Vault 1.17+ requires it)";
  if (message.includes("invalid audience")) return "the role's bound_audiences do not include the aud shown: set the audience input to one of them";
  if (message.includes("oidc role_type")) return "set role_type to jwt on the role";
  return "compare the claims shown with the role's bound_claims, bound_subject and bound_audiences";
}

export class VaultBackend implements SecretsBackend {
  readonly name: string;

  constructor(
    private readonly http: HttpClient,
    private readonly options: VaultOptions,
  ) {
    this.name = options.name;
  }

  async loginWithJwt(jwt: string): Promise<Session> {
    const { authPath, role } = this.options;
    const response = await this.http.request({
      method: "POST",
      url: this.apiUrl(`auth/${authPath}/login`),
      headers: this.headers(),
      body: role ? { role, jwt } : { jwt },
      purpose: `logging in to ${this.name} at auth/${authPath}`,
    });
    if (response.status === 404) {
      throw new KeybridgeError("KB_LOGIN_REFUSED",
        `${this.name} has no auth method at auth/${authPath} (HTTP 404): set the path input to the mount the JWT method is enabled at${this.options.namespace ? ` in namespace ${this.options.namespace}` : ""}`);
    }
    if (isRetryableStatus(response.status)) throw this.unavailable("the login", response);
    if (response.status !== 200) {
      const message = vaultErrors(response);
      throw new KeybridgeError("KB_LOGIN_REFUSED",
        `${this.name} refused the login${role ? ` with role "${role}"` : ""} (HTTP ${response.status}): ${message}. The job's token has ${describeClaims(jwt)}; ${loginAdvice(message, this.options)}`);
    }
    return this.loggedIn(response);
  }

  /** AppRole, for machines outside GitHub Actions: a role id and a secret id. */
  async loginWithAppRole(roleId: string, secretId: string | undefined, mount = "approle"): Promise<Session> {
    const response = await this.http.request({
      method: "POST",
      url: this.apiUrl(`auth/${mount}/login`),
      headers: this.headers(),
      body: secretId === undefined ? { role_id: roleId } : { role_id: roleId, secret_id: secretId },
      purpose: `logging in to ${this.name} with AppRole at auth/${mount}`,
    });
    if (isRetryableStatus(response.status)) throw this.unavailable("the AppRole login", response);
    if (response.status !== 200) {
      throw new KeybridgeError("KB_LOGIN_REFUSED",
        `${this.name} refused the AppRole login at auth/${mount} (HTTP ${response.status}): ${vaultErrors(response)}; check the role id and that the secret id is current (they expire and may be single-use)`);
    }
    return this.loggedIn(response);
  }

  /** Any method's login: Kubernetes, userpass, LDAP, GitHub, or a custom body (vault-action's authPayload). */
  async login(login: VaultLogin): Promise<Session> {
    const path = `auth/${login.mount}/login${login.user === undefined ? "" : `/${login.user}`}`;
    const response = await this.http.request({
      method: "POST",
      url: this.apiUrl(path),
      headers: this.headers(),
      body: login.body,
      purpose: `logging in to ${this.name} with ${login.what} at auth/${login.mount}`,
    });
    if (response.status === 404 && vaultErrors(response).includes("no handler")) {
      throw new KeybridgeError("KB_LOGIN_REFUSED",
        `${this.name} has no auth method at auth/${login.mount} (HTTP 404): set the path input to the mount the ${login.what} method is enabled at${this.options.namespace ? ` in namespace ${this.options.namespace}` : ""}`);
    }
    if (isRetryableStatus(response.status)) throw this.unavailable(`the ${login.what} login`, response);
    if (response.status !== 200) {
      throw new KeybridgeError("KB_LOGIN_REFUSED",
        `${this.name} refused the ${login.what} login at auth/${login.mount} (HTTP ${response.status}): ${vaultErrors(response)}; ${login.advice}`);
    }
    return this.loggedIn(response);
  }

  async renewToken(session: Session, incrementSeconds: number): Promise<Renewal> {
    const response = await this.http.request({
      method: "POST",
      url: this.apiUrl("auth/token/renew-self"),
      headers: this.headers(session.token),
      body: { increment: `${incrementSeconds}s` },
      purpose: `renewing the ${this.name} token`,
    });
    const parsed = renewResponse.safeParse(response.json);
    if (response.status !== 200 || !parsed.success) throw new KeybridgeError("KB_RENEW_FAILED", `renewing the ${this.name} token: HTTP ${response.status}: ${vaultErrors(response)}`);
    return { ttlSeconds: parsed.data.auth.lease_duration, renewable: parsed.data.auth.renewable ?? false };
  }

  async renewLease(session: Session, lease: Lease, incrementSeconds: number): Promise<Renewal> {
    const response = await this.http.request({
      method: "PUT",
      url: this.apiUrl("sys/leases/renew"),
      headers: this.headers(session.token),
      body: { lease_id: lease.id, increment: incrementSeconds },
      purpose: `renewing the lease of ${lease.id.replace(/\/[^/]*$/, "/…")}`,
    });
    const parsed = leaseResponse.safeParse(response.json);
    if (response.status !== 200 || !parsed.success) throw new KeybridgeError("KB_RENEW_FAILED", `renewing a lease: HTTP ${response.status}: ${vaultErrors(response)}`);
    return { ttlSeconds: parsed.data.lease_duration, renewable: parsed.data.renewable ?? false };
  }

  async revokeLease(session: Session, lease: Lease): Promise<void> {
    const response = await this.http.request({
      method: "PUT",
      url: this.apiUrl("sys/leases/revoke"),
      headers: this.headers(session.token),
      body: { lease_id: lease.id },
      purpose: "revoking a lease",
    });
    if (response.status !== 204 && response.status !== 200) throw new KeybridgeError("KB_HTTP_FAILED", `revoking a lease: HTTP ${response.status}: ${vaultErrors(response)}`);
  }

  async useToken(token: string): Promise<Session> {
    const response = await this.http.request({
      method: "GET",
      url: this.apiUrl("auth/token/lookup-self"),
      headers: this.headers(token),
      purpose: `checking the given token with ${this.name}`,
    });
    if (response.status === 403) {
      throw new KeybridgeError("KB_LOGIN_REFUSED", `${this.name} refused the token input (HTTP 403): it is expired, revoked or not valid here; give a current token`);
    }
    const parsed = lookupSelfResponse.safeParse(response.json);
    if (response.status !== 200 || !parsed.success) throw this.unexpectedAnswer("token lookup", response);
    const { data } = parsed.data;
    return { token, ttlSeconds: data.ttl, policies: data.policies ?? [], renewable: data.renewable ?? false, owned: false };
  }

  async read(session: Session, path: string): Promise<SecretRead> {
    const response = await this.http.request({
      method: "GET",
      url: this.apiUrl(path),
      headers: this.headers(session.token),
      purpose: `reading ${path}`,
    });
    if (response.status === 200) {
      const answer = vaultReadAnswer(response.json);
      if (!answer?.data) throw this.readFailure(path, "the answer has no data");
      return { path, ...secretData(answer.data), lease: lease(answer) };
    }
    if (response.status === 404) {
      const deleted = isDeletedVersion(response.json);
      const kvHint = /^[^/]+\/data\//.test(path) ? "" : "; for a KV v2 mount the path needs its data/ segment (secret/data/app, not secret/app)";
      const problem = deleted ? "its latest version is deleted or destroyed (HTTP 404)" : `not found (HTTP 404)${kvHint}`;
      throw new KeybridgeError("KB_SECRET_NOT_FOUND", `${path}: ${problem}`);
    }
    if (response.status === 403) {
      throw this.readFailure(path, `permission denied (HTTP 403): the token's policies (${session.policies.join(", ") || "none"}) do not grant read on it`);
    }
    if (isRetryableStatus(response.status)) throw this.unavailable(`reading ${path}`, response);
    throw this.readFailure(path, `HTTP ${response.status}: ${vaultErrors(response)}`);
  }

  /** POST to a PKI role's issue endpoint; the answer holds a private key, so nothing of it is in a message. */
  async issueCertificate(session: Session, path: string, parameters: Readonly<Record<string, unknown>>): Promise<IssuedCertificate> {
    const response = await this.http.request({
      method: "POST",
      url: this.apiUrl(path),
      headers: this.headers(session.token),
      body: parameters,
      purpose: `issuing a certificate at ${path}`,
    });
    if (isRetryableStatus(response.status)) throw this.unavailable(`issuing a certificate at ${path}`, response);
    if (response.status !== 200) {
      const advice = response.status === 403
        ? `the token's policies (${session.policies.join(", ") || "none"}) do not grant update on it`
        : "ask for names the role allows (its allowed_domains, allow_subdomains, allow_bare_domains) and a ttl within its max_ttl";
      throw new KeybridgeError("KB_ISSUE_REFUSED", `${path}: ${this.name} refused to issue a certificate (HTTP ${response.status}): ${vaultErrors(response)}; ${advice}`);
    }
    const parsed = issueResponse.safeParse(response.json);
    if (!parsed.success) throw this.unexpectedAnswer(`certificate issue at ${path}`, response);
    const { data } = parsed.data;
    return { certificate: data.certificate, privateKey: data.private_key, issuingCa: data.issuing_ca, caChain: data.ca_chain ?? [], serialNumber: data.serial_number };
  }

  revoke(token: string): Promise<RevokeOutcome> {
    return revokeVaultToken(this.http, { name: this.name, url: this.options.url, namespace: this.options.namespace, extraHeaders: this.options.extraHeaders }, token);
  }

  /** The session a successful login answer describes, whichever auth method gave it. */
  private loggedIn(response: HttpResponse): Session {
    const parsed = loginResponse.safeParse(response.json);
    if (!parsed.success) throw this.unexpectedAnswer("login");
    const { auth } = parsed.data;
    return { token: auth.client_token, ttlSeconds: auth.lease_duration, policies: auth.policies ?? [], renewable: auth.renewable ?? false, owned: true };
  }

  private apiUrl(path: string): URL {
    return vaultApiUrl(this.options.url, path);
  }

  private headers(token?: string): Record<string, string> {
    return vaultHeaders(this.options.namespace, token, this.options.extraHeaders);
  }

  private readFailure(path: string, problem: string): KeybridgeError {
    return new KeybridgeError("KB_READ_FAILED", `${path}: ${problem}`);
  }

  /** A status that says "try again" was still the answer when the retries ran out. */
  private unavailable(what: string, response: HttpResponse): KeybridgeError {
    return new KeybridgeError("KB_HTTP_FAILED",
      `${this.name} kept answering HTTP ${response.status} (${vaultErrors(response)}) to ${what} within the retry budget: it is unavailable, sealed or rate limiting; check its health (sys/health) and re-run, or raise the timeout and retries inputs`);
  }

  private unexpectedAnswer(what: string, response?: HttpResponse): KeybridgeError {
    return new KeybridgeError("KB_HTTP_FAILED",
      `${this.name} gave an unexpected answer to the ${what}${response ? ` (HTTP ${response.status})` : ""}; check that the url input points at ${this.name}'s API`);
  }
}

/** KV v2 wraps the pairs as `data.data` next to `data.metadata`; KV v1 and other engines do not. */
function secretData(data: Record<string, unknown>): Pick<SecretRead, "data" | "writtenAt" | "customMetadata"> {
  const inner = data.data;
  const metadata = kvV2Metadata(data.metadata);
  if (isRecord(inner) && metadata) {
    const written = metadata.created_time ? new Date(metadata.created_time) : undefined;
    return {
      data: inner,
      writtenAt: written && !Number.isNaN(written.getTime()) ? written : undefined,
      customMetadata: metadata.custom_metadata ?? undefined,
    };
  }
  return { data, writtenAt: undefined, customMetadata: undefined };
}

function isDeletedVersion(json: unknown): boolean {
  const metadata = (json as { data?: { metadata?: { deletion_time?: string; destroyed?: boolean } } } | undefined)?.data?.metadata;
  return metadata !== undefined && (metadata.destroyed === true || (metadata.deletion_time ?? "") !== "");
}

function lease(answer: { lease_id?: string | undefined; lease_duration?: number | undefined; renewable?: boolean | undefined }) {
  if (!answer.lease_id) return undefined;
  return { id: answer.lease_id, durationSeconds: answer.lease_duration ?? 0, renewable: answer.renewable ?? false };
}
