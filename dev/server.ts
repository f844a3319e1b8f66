// The dev backend in one node:http server on loopback: /v1/… is the Vault API subset, /api/… the
// Infisical API subset, /_oidc/… is GitHub's OIDC token service, /_kubernetes/… the TokenRequest
// API of the Kubernetes clusters it plays (their service-account issuers). Usable in-process (tests) and
// behind `keybridge dev`.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { createSigningKey, type SigningKey } from "./oidc/signing-key.ts";
import { completeJobClaims } from "./oidc/job-claims.ts";
import { localIssuer, OidcEmulator } from "./oidc/emulator.ts";
import { createVault, type Vault } from "./vault/vault.ts";
import { createInfisical, type Infisical } from "./infisical/infisical.ts";
import type { DevAwsKey } from "./infisical/aws-signature.ts";
import { randomBase62 } from "./vault/token/token-store.ts";
import { errorBody } from "./vault/core/envelope.ts";
import { resolveRequestPath } from "./request-path.ts";
import { VaultHttp } from "./vault/http/vault-http.ts";
import { baseUrlFor, isLoopback } from "./address.ts";
import { BodyTooLargeError, hasBody, maxBodyBytes, noBody, readBody, sendJson, type Exchange } from "./http-io.ts";
import { httpVaultApi } from "./terraform/vault-api.ts";
import { enableAuthMounts, type AuthMountSpec } from "./terraform/auth-mounts.ts";
import { applyTerraformFile, type TerraformResult, type TerraformSource } from "./terraform/apply.ts";
import { openDataDir, type DataDir } from "./persist/open-data-dir.ts";
import { checkDataKey, dataKeyEnv, resolveDataKey } from "./persist/data-key.ts";
import { Clusters } from "./kubernetes/clusters.ts";
import { serveTokenRequest, tokenRequestPrefix } from "./kubernetes/token-request-route.ts";
import { connectToSelf, createDevServer, fetchForSelf, servingTls, type DevTls, type ServingTls } from "./tls.ts";

export const githubIssuer = "https://token.actions.githubusercontent.com";

export interface DevBackendOptions {
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** A non-loopback host is refused unless this is set. */
  readonly allowRemote?: boolean;
  readonly rootToken?: string;
  /** The `iss` of emulated tokens. */
  readonly issuer?: string;
  /** Claims of the job behind the request pair in `info.oidc`. */
  readonly defaultJob?: Readonly<Record<string, string>>;
  readonly auditLogPath?: string;
  /** Receives one line per request (method, path, status, ms) when set. */
  readonly verbose?: (line: string) => void;
  /** Receives a line (never a secret) for each internal error; stderr by default. */
  readonly warn?: (line: string) => void;
  /** Milliseconds since the epoch; every expiry decision reads it. */
  readonly now?: () => number;
  /**
   * Terraform JSON (cdk.tf.json or *.tf.json) applied before the backend is ready: vault_*
   * resources through the Vault API as the root token, infisical_* resources into the Infisical
   * side; a refusal rejects with TerraformError.
   */
  readonly terraformFile?: string | TerraformSource;
  /** Requests per minute per client address on the Infisical API (429 past it); 0 turns it off. Default 600. */
  readonly infisicalRateLimit?: number;
  /** Auth methods enabled before the file is applied: mounts the platform has outside the file. */
  readonly authMounts?: readonly AuthMountSpec[];
  /**
   * Keep the Vault side's state in this directory, encrypted, so that it survives a restart; a
   * file there that does not authenticate refuses the start (DataDirError). The Infisical side is
   * not kept: it comes from terraformFile at each start.
   */
  readonly dataDir?: string;
  /** The 32-byte key of dataDir; else the key in dataKeyFile, else KEYBRIDGE_DEV_DATA_KEY. */
  readonly dataKey?: Uint8Array;
  /** A file (mode 0600, outside dataDir) holding the key in base64. */
  readonly dataKeyFile?: string;
  /** AWS access keys (with the principal ARN each stands for) Infisical's AWS IAM logins may be signed with. */
  readonly awsKeys?: readonly DevAwsKey[];
  /** Serve HTTPS with this certificate, and with clientCa require client certificates (mutual TLS). */
  readonly tls?: DevTls;
}

export interface DevBackendInfo {
  readonly vault: { readonly addr: string; readonly rootToken: string };
  /** The base URL Infisical clients take (the Action's `url`, the SDK's siteUrl): without /api. */
  readonly infisical: { readonly addr: string };
  readonly oidc: {
    readonly issuer: string;
    readonly discoveryUrl: string;
    readonly jwksUrl: string;
    readonly requestUrl: string;
    readonly requestToken: string;
  };
  /** The file's outputs, references resolved (sensitive ones as "(sensitive)"), with terraformFile. */
  readonly outputs?: Readonly<Record<string, unknown>>;
  readonly terraform?: { readonly file: string; readonly applied: number; readonly warnings?: readonly string[] };
  /** With dataDir: where the Vault state is kept. */
  readonly data?: { readonly dir: string };
}

export interface DevBackend {
  readonly info: DevBackendInfo;
  /**
   * With terraformFile: every output's value, sensitive ones included (what `terraform output
   * -json` shows). In-process only: never printed, never on the JSON line.
   */
  readonly outputValues?: Readonly<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startDevBackend(options: DevBackendOptions = {}): Promise<DevBackend> {
  const host = options.host ?? "127.0.0.1";
  if (!isLoopback(host) && !options.allowRemote) {
    throw new Error(`host ${host} is not a loopback address; allow remote clients explicitly to bind it`);
  }
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  const defaultJob = completeJobClaims(options.defaultJob ?? {});
  // Before anything listens: a data directory that does not authenticate refuses the start.
  const data = options.dataDir === undefined ? undefined : await openDataDir(options.dataDir, dataKeyFor(options, options.dataDir), warn);
  const key = await createSigningKey();
  const tls = await servingTls(options.tls);
  const server = createDevServer(tls);
  let baseUrl: string;
  try {
    baseUrl = await listen(server, host, options.port ?? 0, options.tls ? "https" : "http");
  } catch (error) {
    await data?.abandon();
    throw error;
  }
  const products = await createProducts(options, { server, baseUrl, key, data, warn, defaultJob, tls }).catch(async (error: unknown) => {
    await closeServer(server);
    await data?.abandon();
    throw error;
  });
  server.on("request", (request: IncomingMessage, response: ServerResponse) => answer(products, request, response, options.verbose, warn));

  const close = async () => {
    await closeServer(server);
    products.vault.close();
    products.infisical.close();
    await data?.close();
  };
  let loaded: TerraformResult | undefined;
  try {
    loaded = await loadTerraform(options, baseUrl, products, tls);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    info: backendInfo(baseUrl, products, loaded, data),
    ...(loaded ? { outputValues: loaded.values } : {}),
    close,
  };
}

/** The three products this server plays, each answering under its own path prefix. */
interface Products {
  readonly vault: Vault;
  readonly vaultHttp: VaultHttp;
  readonly infisical: Infisical;
  readonly emulator: OidcEmulator;
  /** The Kubernetes clusters this server plays: service-account issuers by API host. */
  readonly clusters: Clusters;
  readonly issuer: string;
  readonly rootToken: string;
  readonly pair: { readonly requestUrl: string; readonly requestToken: string };
}

interface ServerParts {
  readonly server: Server;
  readonly baseUrl: string;
  readonly key: SigningKey;
  readonly data: DataDir | undefined;
  readonly warn: (line: string) => void;
  readonly defaultJob: Readonly<Record<string, string>>;
  readonly tls: ServingTls | undefined;
}

async function createProducts(options: DevBackendOptions, { server, baseUrl, key, data, warn, defaultJob, tls }: ServerParts): Promise<Products> {
  const now = options.now ?? Date.now;
  const issuer = options.issuer ?? githubIssuer;
  const rootToken = options.rootToken ?? `hvs.${randomBase62(24)}`;
  const local = localIssuer(issuer, baseUrl, key.jwks);
  const clusters = new Clusters(now);
  const vault = createVault({
    now,
    rootToken,
    local,
    clusters,
    auditLogPath: options.auditLogPath,
    ...(data ? { state: data.journal.scope, commit: () => data.journal.commit() } : {}),
  });
  let infisical: Infisical;
  try {
    // A new directory gets its file now; a restored one that ended in a torn change is rewritten.
    await data?.journal.commit();
    infisical = createInfisical({
      now,
      local,
      auditLogPath: options.auditLogPath,
      rateLimitPerMinute: options.infisicalRateLimit,
      clusters,
      ...(options.awsKeys ? { awsKeys: options.awsKeys } : {}),
      onInternalError: (error, method, path) => warn(`keybridge dev: internal error on ${method} ${path}: ${describe(error)}`),
    });
  } catch (error) {
    vault.close();
    throw error;
  }
  const vaultHttp = new VaultHttp(vault);
  vaultHttp.attach(server, (port, address) => connectToSelf(tls, port, address));
  const emulator = new OidcEmulator({
    issuer,
    baseUrl,
    key,
    now,
    isRootToken: (token) => vault.tokens.lookup(token)?.policies.includes("root") === true,
  });
  const pair = emulator.mintJob(defaultJob);
  return { vault, vaultHttp, infisical, emulator, clusters, issuer, rootToken, pair };
}

/** One request: the request log line, the body, dispatch, and a 500 (kind and place only) for a bug. */
function answer(products: Products, request: IncomingMessage, response: ServerResponse, verbose: DevBackendOptions["verbose"], warn: (line: string) => void): void {
  const url = request.url ?? "/";
  const queryAt = url.indexOf("?");
  const rawPath = queryAt < 0 ? url : url.slice(0, queryAt);
  const rawQuery = queryAt < 0 ? "" : url.slice(queryAt + 1);
  if (verbose) {
    const started = performance.now();
    response.on("finish", () => verbose(`${request.method} ${rawPath} ${response.statusCode} ${Math.round(performance.now() - started)}ms`));
  }
  void serve(products, { request, response, rawPath, rawQuery, body: noBody, remoteAddress: request.socket.remoteAddress ?? "" }, warn);
}

/** Reads the body if the request announces one (most GETs do not: dispatched at once), dispatches, and answers a bug with a 500. */
async function serve(products: Products, bodiless: Exchange, warn: (line: string) => void): Promise<void> {
  const { request, response } = bodiless;
  try {
    let exchange = bodiless;
    if (hasBody(request)) {
      const body = await readBodyOrRefuse(request, response);
      if (!body) return;
      exchange = { ...bodiless, body };
    }
    await dispatch(products, exchange);
  } catch (error) {
    warn(`keybridge dev: internal error on ${request.method} ${bodiless.rawPath}: ${describe(error)}`);
    if (!response.headersSent) sendJson(response, 500, errorBody(["internal error"]));
    else response.destroy();
  }
}

/** The body, or undefined once a 413 is sent for one past maxBodyBytes. */
async function readBodyOrRefuse(request: IncomingMessage, response: ServerResponse): Promise<Buffer | undefined> {
  try {
    return await readBody(request);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    sendJson(response, 413, errorBody([`failed to parse JSON input: http: request body too large (limit ${maxBodyBytes} bytes)`]));
    return undefined;
  }
}

/**
 * By path prefix only: /api/… (as sent) is Infisical's; every other path is cleaned first (a path
 * with dot segments or doubled slashes is never served, only redirected), then /_oidc/… is the
 * OIDC emulator's, /_kubernetes/… the clusters' TokenRequest API, and the rest the Vault side's, which answers unknown paths as Vault does.
 */
async function dispatch(products: Products, exchange: Exchange): Promise<void> {
  // `return await`: an async function that returns a promise unwrapped takes two more turns of the loop.
  if (exchange.rawPath === "/api" || exchange.rawPath.startsWith("/api/")) return await products.infisical.serve(exchange);
  const resolved = resolveRequestPath(exchange.rawPath, exchange.rawQuery);
  if (resolved.kind === "redirect") {
    exchange.response.writeHead(301, { Location: resolved.location, "Content-Length": 0 }).end();
    return;
  }
  if (resolved.kind === "bad") return sendJson(exchange.response, 400, errorBody([resolved.message]));
  if (resolved.path.startsWith("/_oidc/") && (await products.emulator.serve(exchange, resolved.path))) return;
  if (resolved.path.startsWith(tokenRequestPrefix) && (await serveTokenRequest({ clusters: products.clusters, isRootToken: isRoot(products) }, exchange, resolved.path))) return;
  return await products.vaultHttp.serve(exchange, resolved.path);
}

function isRoot(products: Products): (token: string | undefined) => boolean {
  return (token) => token !== undefined && products.vault.tokens.lookup(token)?.policies.includes("root") === true;
}

/** Auth mounts and the Terraform file, through the HTTP API like a setup script: routing, ACL, validation and audit all apply. */
async function loadTerraform(options: DevBackendOptions, baseUrl: string, products: Products, tls: ServingTls | undefined): Promise<TerraformResult | undefined> {
  if (options.terraformFile === undefined && (options.authMounts ?? []).length === 0) return undefined;
  const api = httpVaultApi(baseUrl, products.rootToken, fetchForSelf(tls));
  await enableAuthMounts(api, options.authMounts ?? []);
  if (options.terraformFile === undefined) return undefined;
  return applyTerraformFile(options.terraformFile, { vault: api, infisical: products.infisical.store });
}

function backendInfo(baseUrl: string, products: Products, loaded: TerraformResult | undefined, data: DataDir | undefined): DevBackendInfo {
  const { emulator, pair } = products;
  return {
    vault: { addr: baseUrl, rootToken: products.rootToken },
    infisical: { addr: baseUrl },
    oidc: {
      issuer: products.issuer,
      discoveryUrl: emulator.discoveryUrl,
      jwksUrl: emulator.jwksUrl,
      requestUrl: pair.requestUrl,
      requestToken: pair.requestToken,
    },
    ...(loaded ? { outputs: loaded.outputs, terraform: { file: loaded.file, applied: loaded.applied, ...(loaded.warnings.length > 0 ? { warnings: loaded.warnings } : {}) } } : {}),
    ...(data ? { data: { dir: data.dir } } : {}),
  };
}

/** Listens on host:port and answers the URL clients use to reach the server. */
async function listen(server: Server, host: string, port: number, scheme: "http" | "https"): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  return baseUrlFor(host, typeof address === "object" && address ? address.port : 0, scheme);
}

function dataKeyFor(options: DevBackendOptions, dataDir: string): Buffer {
  if (options.dataKey !== undefined) return checkDataKey(options.dataKey);
  return resolveDataKey({ dataDir, keyFile: options.dataKeyFile, env: process.env[dataKeyEnv] });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/** The error's kind and where it was thrown: enough to debug, never a value from a request. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return "non-Error thrown";
  const frame = error.stack?.split("\n").find((line) => /\s+at .*:\d+:\d+/.test(line));
  const location = frame?.match(/([^/\\(\s]+:\d+):\d+\)?$/)?.[1];
  return location ? `${error.name} at ${location}` : error.name;
}
