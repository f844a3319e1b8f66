// HTTP for the Action: every request within one time budget, each attempt with its own timeout,
// transient failures retried with full-jitter backoff (or the server's Retry-After), and failures
// turned into one line that says what to check. Response bodies are never logged.
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import { describeProxy } from "./proxy.ts";
import { backoffDelay, errorCode, isRetryableStatus, isTransientError, retryAfterMs } from "./retry.ts";
import { Agents, type BackendTls } from "./agents.ts";
import { trustedCertificates } from "./ca.ts";

/**
 * Connections per origin, and so the bound on a step's parallel requests: 16 lets a typical step's
 * paths (vault-action's examples read up to a dozen) go out in one round trip.
 */
export const connectionsPerOrigin = 16;

export interface HttpClientOptions {
  /** The whole budget, in ms, for every request this client makes. */
  readonly timeoutMs: number;
  /** Retries after the first attempt of each request. */
  readonly retries: number;
  readonly caCertificate?: string | undefined;
  /** Client certificate and certificate checking for the backend's origin. */
  readonly backendTls?: BackendTls | undefined;
  /** One line per retry, so a slow step explains itself. */
  readonly log?: (message: string) => void;
  /** What to do when the budget runs out. @default "check the address and the network, or raise the timeout input" */
  readonly timeoutAdvice?: string;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface HttpRequest {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** What the request is for, in the words of an error message: "reading secret/data/app". */
  readonly purpose: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body parsed as JSON, or undefined when it was empty. */
  readonly json: unknown;
}

const tlsTrustCodes = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT", "CERT_UNTRUSTED", "UNABLE_TO_GET_ISSUER_CERT",
]);

/** TLS alerts a server sends when it wants a client certificate it trusts (mutual TLS). */
const clientCertificateAlerts = new Set([
  "ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED", "ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE", "ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE",
  "ERR_SSL_TLSV1_ALERT_UNKNOWN_CA", "ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN",
]);

/** The server was reached, but its answer broke on the way. */
const brokenAnswerCodes = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED", "KB_INVALID_JSON"]);

function attemptTimeout(): Error {
  return Object.assign(new Error("the attempt timed out"), { code: "KB_ATTEMPT_TIMEOUT" });
}

export class HttpClient {
  private deadline: number;
  private readonly attemptTimeoutMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly agents: Agents;

  constructor(private readonly options: HttpClientOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.deadline = this.now() + options.timeoutMs;
    // A stalled attempt must leave time for the next ones.
    this.attemptTimeoutMs = Math.max(1_000, Math.floor(options.timeoutMs / 3));
    this.agents = new Agents({
      ca: trustedCertificates(options.caCertificate),
      connections: connectionsPerOrigin,
      connectTimeoutMs: this.attemptTimeoutMs,
      backendTls: options.backendTls,
    });
  }

  /** Sends the request, retrying transient failures; answers with any status that is not retried. */
  async request(request: HttpRequest): Promise<HttpResponse> {
    const attempts = this.options.retries + 1;
    for (let attempt = 0; ; attempt++) {
      const remaining = this.deadline - this.now();
      if (remaining <= 0) throw this.timedOut(request);
      let retryIn: number;
      let reason: string;
      try {
        const response = await this.attempt(request, Math.min(remaining, this.attemptTimeoutMs));
        if (!isRetryableStatus(response.status) || attempt + 1 >= attempts) return response;
        const header = response.headers["retry-after"];
        const serverDelay = retryAfterMs(Array.isArray(header) ? header[0] : header, this.now());
        retryIn = serverDelay ?? backoffDelay(attempt);
        reason = `HTTP ${response.status}`;
        if (this.now() + retryIn >= this.deadline) return response;
      } catch (error) {
        if (!isTransientError(error) || attempt + 1 >= attempts) throw this.failed(request, error);
        retryIn = backoffDelay(attempt);
        reason = this.describeCause(error);
        if (this.now() + retryIn >= this.deadline) throw this.failed(request, error);
      }
      this.options.log?.(`${request.purpose}: ${reason}; retrying in ${retryIn} ms (attempt ${attempt + 2} of ${attempts})`);
      await this.sleep(retryIn);
    }
  }

  /** A new budget from now: for long-lived users (`keybridge run` renews for hours). */
  startBudget(timeoutMs = this.options.timeoutMs): void {
    this.deadline = this.now() + timeoutMs;
  }

  /** Opens up to `count` connections to url's origin ahead of the requests that will use them. */
  preconnect(url: URL, count: number): void {
    this.agents.preconnect(url, count);
  }

  /** Ends every connection at once, so the process can exit as soon as its work is done. */
  async close(): Promise<void> {
    this.agents.close();
  }

  private async attempt(request: HttpRequest, timeoutMs: number): Promise<HttpResponse> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(attemptTimeout()), timeoutMs);
    try {
      const headers: Record<string, string> = { accept: "application/json", ...request.headers };
      if (request.body !== undefined) headers["content-type"] = "application/json";
      const body = request.body === undefined ? undefined : JSON.stringify(request.body);
      const response = await this.agents.send({ method: request.method, url: request.url, headers, body, signal: controller.signal });
      return { status: response.status, headers: response.headers, json: parseJson(response.text, response.status) };
    } catch (error) {
      throw controller.signal.aborted ? attemptTimeout() : error;
    } finally {
      clearTimeout(timer);
    }
  }

  private timedOut(request: HttpRequest): KeybridgeError {
    const advice = this.options.timeoutAdvice ?? "check the address and the network, or raise the timeout input";
    return new KeybridgeError("KB_HTTP_FAILED", `${request.purpose}: no answer from ${request.url.host} within the ${this.options.timeoutMs / 1000} s budget; ${advice}`);
  }

  private failed(request: HttpRequest, error: unknown): KeybridgeError {
    const code = errorCode(error);
    const host = request.url.host;
    const proxy = this.agents.proxyFor(request.url);
    const via = proxy ? ` through the proxy ${describeProxy(proxy)}` : "";
    if (code && tlsTrustCodes.has(code)) {
      return new KeybridgeError("KB_HTTP_FAILED",
        `${request.purpose}: the TLS certificate of ${host} is not trusted (${code}); give its CA with the ca-certificate input or NODE_EXTRA_CA_CERTS`);
    }
    if (code && clientCertificateAlerts.has(code)) {
      return new KeybridgeError("KB_HTTP_FAILED",
        `${request.purpose}: ${host} refused the TLS handshake (${code}): it requires a client certificate it trusts; give clientCertificate and clientKey (base64 of PEM) signed by the CA it trusts`);
    }
    if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
      return new KeybridgeError("KB_HTTP_FAILED", `${request.purpose}: the TLS certificate of ${host} does not name that host (${code}); use the host name the certificate was issued for`);
    }
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
      return new KeybridgeError("KB_HTTP_FAILED", `${request.purpose}: the host ${request.url.hostname} cannot be resolved${via} (${code}); check the url input and the runner's DNS`);
    }
    if (code === "KB_ATTEMPT_TIMEOUT") return this.timedOut(request);
    if (code && brokenAnswerCodes.has(code)) {
      return new KeybridgeError("KB_HTTP_FAILED",
        `${request.purpose}: the answer from ${host}${via} was cut off or garbled (${this.describeCause(error)}); check what sits between the runner and ${host} (a proxy, a load balancer), then re-run`);
    }
    return new KeybridgeError("KB_HTTP_FAILED",
      `${request.purpose}: cannot reach ${host}${via} (${this.describeCause(error)}); check the url input, the network and HTTPS_PROXY/NO_PROXY`);
  }

  private describeCause(error: unknown): string {
    const code = errorCode(error);
    if (code === "KB_ATTEMPT_TIMEOUT") return "no answer in time";
    if (code === "KB_INVALID_JSON") return "the answer was not valid JSON";
    return code ?? (error instanceof Error ? error.message.split("\n")[0]! : String(error));
  }
}

/** JSON or undefined; a garbled success body (cut off mid-way by a proxy) is worth another try. */
function parseJson(text: string, status: number): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    if (status >= 200 && status < 300) throw Object.assign(new Error("the answer was not valid JSON"), { code: "KB_INVALID_JSON" });
    return undefined;
  }
}
