// The dev backend in one node:http server on loopback: /v1/… is the Vault API subset, /api/… the
// Infisical API subset, /_oidc/… is GitHub's OIDC token service. Usable in-process (tests) and
// behind `keybridge dev`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { createSigningKey } from "./oidc/signing-key.ts";
import { completeJobClaims } from "./oidc/job-claims.ts";
import { localIssuer, OidcEmulator } from "./oidc/emulator.ts";
import { createVault, type Vault } from "./vault/vault.ts";
import { createInfisical, type Infisical } from "./infisical/infisical.ts";
import { randomBase62 } from "./vault/token/token-store.ts";
import { noHandler } from "./vault/core/errors.ts";
import { errorBody } from "./vault/core/envelope.ts";
import { resolveRequestPath } from "./vault/http/request-path.ts";
import { baseUrlFor, isLoopback } from "./address.ts";
import { BodyTooLargeError, maxBodyBytes, readBody, sendJson } from "./http-io.ts";
import { ListMarker, relayListRequests } from "./vault/http/list-verb.ts";
import { httpVaultApi } from "./terraform/vault-api.ts";
import { enableAuthMounts, type AuthMountSpec } from "./terraform/auth-mounts.ts";
import { applyTerraformFile, type TerraformResult } from "./terraform/apply.ts";
import { openDataDir, type DataDir } from "./persist/open-data-dir.ts";
import { checkDataKey, dataKeyEnv, resolveDataKey } from "./persist/data-key.ts";

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
  readonly terraformFile?: string;
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
  readonly terraform?: { readonly file: string; readonly applied: number };
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
  const now = options.now ?? Date.now;
  const issuer = options.issuer ?? githubIssuer;
  const rootToken = options.rootToken ?? `hvs.${randomBase62(24)}`;
  const defaultJob = completeJobClaims(options.defaultJob ?? {});
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  // Before anything listens: a data directory that does not authenticate refuses the start.
  const data = options.dataDir === undefined ? undefined : await openDataDir(options.dataDir, dataKeyFor(options, options.dataDir), warn);
  const key = await createSigningKey();

  const server = createServer({ keepAliveTimeout: 30_000 });
  const listMarker = new ListMarker();
  relayListRequests(server, listMarker);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    await data?.abandon();
    throw error;
  }
  const address = server.address();
  const baseUrl = baseUrlFor(host, typeof address === "object" && address ? address.port : 0);

  const local = localIssuer(issuer, baseUrl, key.jwks);
  let vault: Vault;
  let infisical: Infisical;
  let created: Vault | undefined;
  try {
    vault = created = createVault({
      now,
      rootToken,
      local,
      auditLogPath: options.auditLogPath,
      ...(data ? { state: data.journal.scope, commit: () => data.journal.commit() } : {}),
    });
    // A new directory gets its file now; a restored one that ended in a torn change is rewritten.
    await data?.journal.commit();
    infisical = createInfisical({
      now,
      local,
      auditLogPath: options.auditLogPath,
      rateLimitPerMinute: options.infisicalRateLimit,
      onInternalError: (error, method, path) => warn(`keybridge dev: internal error on ${method} ${path}: ${describe(error)}`),
    });
  } catch (error) {
    await closeServer(server);
    created?.close();
    await data?.abandon();
    throw error;
  }
  const emulator = new OidcEmulator({
    issuer,
    baseUrl,
    key,
    now,
    isRootToken: (token) => vault.tokens.lookup(token)?.policies.includes("root") === true,
  });
  const pair = emulator.mintJob(defaultJob);

  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    const started = performance.now();
    const listed = request.method === "GET" ? listMarker.read(request.headers) : undefined;
    const method = listed ? "LIST" : (request.method ?? "GET");
    const remoteAddress = listed?.remoteAddress ?? request.socket.remoteAddress ?? "";
    const [rawPath = "/", rawQuery = ""] = (request.url ?? "/").split(/\?(.*)/s);
    if (options.verbose) {
      const log = options.verbose;
      response.on("finish", () =>
        log(`${method} ${rawPath} ${response.statusCode} ${Math.round(performance.now() - started)}ms`),
      );
    }
    serve(request, response, method, remoteAddress, rawPath, rawQuery).catch((error: unknown) => {
      warn(`keybridge dev: internal error on ${method} ${rawPath}: ${describe(error)}`);
      if (!response.headersSent) sendJson(response, 500, errorBody(["internal error"]));
      else response.destroy();
    });
  });

  async function serve(
    request: IncomingMessage,
    response: ServerResponse,
    method: string,
    remoteAddress: string,
    rawPath: string,
    rawQuery: string,
  ): Promise<void> {
    let body: Buffer;
    try {
      body = await readBody(request);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      sendJson(response, 413, errorBody([`failed to parse JSON input: http: request body too large (limit ${maxBodyBytes} bytes)`]));
      return;
    }
    if (rawPath === "/api" || rawPath.startsWith("/api/")) {
      const reply = await infisical.handle({ method, rawPath, query: new URLSearchParams(rawQuery), headers: request.headers, body, remoteAddress });
      return sendJson(response, reply.status, reply.body, false, reply.headers);
    }
    const resolved = resolveRequestPath(rawPath, rawQuery);
    if (resolved.kind === "redirect") {
      response.writeHead(301, { Location: resolved.location, "Content-Length": 0 }).end();
      return;
    }
    if (resolved.kind === "bad") {
      sendJson(response, 400, errorBody([resolved.message]));
      return;
    }
    const path = resolved.path;
    const query = new URLSearchParams(rawQuery);
    if (path.startsWith("/_oidc/")) {
      const url = new URL(`${path}${rawQuery ? `?${rawQuery}` : ""}`, baseUrl);
      if (await emulator.handle(request, response, url, body)) return;
    }
    if (path.startsWith("/v1/") && path.length > "/v1/".length) {
      const logical = path.slice("/v1/".length);
      if (logical === "sys/health" || logical === "sys/seal-status") {
        const head = method === "HEAD" && logical === "sys/health";
        if (method !== "GET" && !head) return sendJson(response, 405, errorBody([]));
        const reply = logical === "sys/health" ? vault.health.health(query) : vault.health.sealStatus();
        return sendJson(response, reply.status, reply.body, head);
      }
      const reply = await vault.router.handle({
        method,
        path: logical,
        query,
        headers: request.headers,
        body,
        remoteAddress,
      });
      return sendJson(response, reply.status, reply.body);
    }
    const error = noHandler(path.replace(/^\/(v1\/)?/, ""));
    sendJson(response, error.status, errorBody(error.errors));
  }

  let loaded: TerraformResult | undefined;
  if (options.terraformFile !== undefined || (options.authMounts ?? []).length > 0) {
    // Through the HTTP API, like a setup script: routing, ACL, validation and audit all apply.
    const api = httpVaultApi(baseUrl, rootToken);
    try {
      await enableAuthMounts(api, options.authMounts ?? []);
      if (options.terraformFile !== undefined) loaded = await applyTerraformFile(options.terraformFile, { vault: api, infisical: infisical.store });
    } catch (error) {
      await closeServer(server);
      vault.close();
      infisical.close();
      await data?.close();
      throw error;
    }
  }

  return {
    info: {
      vault: { addr: baseUrl, rootToken },
      infisical: { addr: baseUrl },
      oidc: {
        issuer,
        discoveryUrl: emulator.discoveryUrl,
        jwksUrl: emulator.jwksUrl,
        requestUrl: pair.requestUrl,
        requestToken: pair.requestToken,
      },
      ...(loaded ? { outputs: loaded.outputs, terraform: { file: loaded.file, applied: loaded.applied } } : {}),
      ...(data ? { data: { dir: data.dir } } : {}),
    },
    ...(loaded ? { outputValues: loaded.values } : {}),
    async close() {
      await closeServer(server);
      vault.close();
      infisical.close();
      await data?.close();
    },
  };
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
