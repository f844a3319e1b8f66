// `keybridge dev`: parses the flags, starts the dev backend, prints where it is (one JSON line with
// --json, for programs; a block with export lines otherwise), and serves until SIGINT or SIGTERM.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { completeJobClaims, JobClaimsError } from "../dev/oidc/job-claims.ts";
import { githubIssuer, startDevBackend, type DevBackendInfo } from "../dev/server.ts";
import { isLoopback } from "../dev/address.ts";
import { parseAuthMount, type AuthMountSpec } from "../dev/terraform/auth-mounts.ts";
import { TerraformError } from "../dev/terraform/problems.ts";
import type { TerraformSource } from "../dev/terraform/apply.ts";
import type { CommandLineInput } from "../terraform/load.ts";
import { UsageError } from "./usage-error.ts";
import { devTokenHelp } from "./dev-token-command.ts";
import { generateTls, readClientCa, readTlsFiles, type GeneratedTls, type TlsFlags } from "./dev/tls-files.ts";
import type { DevTls } from "../dev/tls.ts";
import type { DevAwsKey } from "../dev/infisical/aws-signature.ts";
import { awsSecretEnvPrefix, parseAwsKeys } from "./dev/aws-keys.ts";

export const devHelp = `Usage: keybridge dev [flags]
       keybridge dev token --kubernetes NAMESPACE/NAME [--cluster HOST] [--audience A] [--out FILE]

Starts one server on 127.0.0.1 that plays GitHub's OIDC token service (/_oidc/...) and speaks the
part of Vault's HTTP API (/v1/...) and of Infisical's (/api/...: machine-identity OIDC and universal
auth login, token renew and revoke, v3/v4 secret reads) that CI clients use, like
\`vault server -dev\`. Data lives in memory and is gone when it stops (Ctrl-C, SIGTERM), unless
--data keeps the Vault side in a directory. It also plays the service-account token issuer of
each Kubernetes cluster a Kubernetes auth config names (by its API host): \`keybridge dev token\`
mints a token there (see keybridge dev token --help).

Flags:
  --json                print exactly one JSON line when ready (addresses, root token, OIDC request pair)
  --port N              port to listen on (default 0: a free port)
  --host H              address to bind (default 127.0.0.1); a non-loopback address needs --allow-remote
  --allow-remote        allow a non-loopback --host (anyone who reaches it can mint tokens)
  --root-token T        the Vault root token (default: random)
  --issuer URL          the iss of emulated tokens (default ${githubIssuer})
  --job k=v[,k=v...]    claims of the default job, e.g. repository=acme/app,ref=refs/heads/main
  --audit-log FILE      write Vault-style audit lines (values HMAC-ed) and Infisical-style event lines
                        (names and paths, never values or tokens) to FILE
  --verbose             one stderr line per request: method, path, status, time
  --terraform PATH      apply the vault_* and infisical_* resources of a Terraform configuration before
                        serving, as \`terraform apply\` would: a directory (every .tf and .tf.json, as
                        Terraform reads a root module, with terraform.tfvars and *.auto.tfvars), or
                        files (HCL or JSON, e.g. cdktf.out/stacks/NAME/cdk.tf.json; repeatable).
                        Variables, locals, functions, for_each/count, dynamic blocks and modules (local,
                        or laid out by terraform init) are evaluated; random_* resources are emulated,
                        other providers' resources skipped with a warning. Outputs are printed (and
                        added to the --json line)
  --var NAME=VALUE      a root variable's value (repeatable), as terraform -var; TF_VAR_NAME works too
  --var-file FILE       a .tfvars or .tfvars.json file (repeatable), as terraform -var-file
  --infisical-rate-limit N  requests per minute per client address on /api/... before 429
                        (default 600, Infisical's; 0 turns it off)
  --auth-mount P=TYPE   enable an auth method first (repeatable), e.g. oidc=oidc for a data source that
                        reads the platform's SSO mount
  --data DIR            keep the Vault side's state in DIR (created 0700), encrypted with AES-256-GCM,
                        so that it survives a restart: mounts, policies, roles, secret IDs and tokens
                        (as digests), KV data with versions, leases, identity groups, database
                        connections. Each change is on disk before it is answered. A file in DIR that
                        does not authenticate (changed, or another key) refuses the start. The root
                        token is this start's (pass --root-token to keep one). The Infisical side is
                        not kept: it is configured from --terraform at each start, which also applies
                        the vault_* resources again on top of what DIR kept (what is there already,
                        unchanged, counts as applied).
  --aws-key ID=ARN      an AWS access key (repeatable) whose SigV4 signatures the Infisical side checks
                        for AWS IAM logins, standing for the principal ARN, e.g.
                        AKIAEXAMPLE00000001=arn:aws:iam::123456789012:user/ci; its secret access key
                        is read from ${awsSecretEnvPrefix}<ID>. No request goes to AWS
  --tls-cert FILE       serve HTTPS with this PEM certificate (and chain); needs --tls-key FILE
  --tls-key FILE        the PEM private key of --tls-cert
  --tls                 serve HTTPS with a certificate for 127.0.0.1, ::1 and localhost made at start,
                        signed by a CA made with it; the CA's file (tls-ca.pem, in --data's directory
                        or a temporary one removed at stop) is printed for clients to trust
  --tls-client-ca FILE  mutual TLS: require client certificates signed by this PEM CA (with --tls or
                        --tls-cert); a connection without one is closed after the handshake
  --data-key-file FILE  the key of --data: 32 random bytes in base64, in a file of mode 0600 outside
                        DIR (make one: openssl rand -base64 32 > key && chmod 600 key); without this
                        flag the key comes from KEYBRIDGE_DEV_DATA_KEY. It is never written anywhere.

${devTokenHelp}`;

export interface DevFlags {
  readonly json: boolean;
  readonly port: number;
  readonly host: string;
  readonly allowRemote: boolean;
  readonly rootToken: string | undefined;
  readonly issuer: string;
  readonly job: Readonly<Record<string, string>>;
  readonly auditLog: string | undefined;
  readonly verbose: boolean;
  readonly terraform: TerraformSource | undefined;
  readonly authMounts: readonly AuthMountSpec[];
  readonly infisicalRateLimit: number | undefined;
  readonly dataDir: string | undefined;
  readonly dataKeyFile: string | undefined;
  readonly tls: TlsFlags;
  readonly awsKeys: readonly DevAwsKey[];
}

const devOptions = {
  json: { type: "boolean" },
  "allow-remote": { type: "boolean" },
  verbose: { type: "boolean" },
  port: { type: "string" },
  host: { type: "string" },
  "root-token": { type: "string" },
  issuer: { type: "string" },
  job: { type: "string", multiple: true },
  "audit-log": { type: "string" },
  terraform: { type: "string", multiple: true },
  var: { type: "string", multiple: true },
  "var-file": { type: "string", multiple: true },
  "auth-mount": { type: "string", multiple: true },
  "infisical-rate-limit": { type: "string" },
  data: { type: "string" },
  "data-key-file": { type: "string" },
  tls: { type: "boolean" },
  "tls-cert": { type: "string" },
  "tls-key": { type: "string" },
  "tls-client-ca": { type: "string" },
  "aws-key": { type: "string", multiple: true },
} as const satisfies ParseArgsConfig["options"];

type DevArgValues = {
  readonly [name in keyof typeof devOptions]?: (typeof devOptions)[name] extends { type: "boolean" } ? boolean
    : (typeof devOptions)[name] extends { multiple: true } ? string[]
    : string;
};

/**
 * parseArgs, with the refusals worded as this command always worded them. Not strict: strict mode
 * words its own errors, and reads `--port --json` as an ambiguous value instead of a missing one.
 */
function readDevArgs(args: readonly string[]) {
  const { values, tokens } = parseArgs({ args: [...args], options: devOptions, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    const raw = args[token.index]!;
    if (token.kind !== "option" || !token.rawName.startsWith("--") || !Object.hasOwn(devOptions, token.name)) {
      throw new UsageError(`unknown argument "${raw}"; see keybridge dev --help`);
    }
    const type = devOptions[token.name as keyof typeof devOptions].type;
    if (type === "boolean" && token.value !== undefined) throw new UsageError(`unknown argument "${raw}"; see keybridge dev --help`);
    if (type === "string" && (token.value === undefined || (!token.inlineValue && token.value.startsWith("--")))) {
      throw new UsageError(`${token.rawName} needs a value; see keybridge dev --help`);
    }
  }
  // Every token was checked above against its option's type, so the values have those types.
  return values as DevArgValues;
}

export function parseDevFlags(args: readonly string[]): DevFlags {
  const values = readDevArgs(args);

  const portText = values.port ?? "0";
  const port = /^\d+$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65_535)) throw new UsageError(`--port must be an integer from 0 to 65535, got "${portText}"`);

  const host = values.host ?? "127.0.0.1";
  const allowRemote = values["allow-remote"] === true;
  if (!isLoopback(host) && !allowRemote) {
    throw new UsageError(`--host ${host} is not a loopback address; add --allow-remote if remote clients must reach it`);
  }

  const issuer = values.issuer ?? githubIssuer;
  if (!/^https?:\/\/[^/\s]+/.test(issuer)) throw new UsageError(`--issuer must be an http(s) URL, got "${issuer}"`);

  const rootToken = values["root-token"];
  if (rootToken !== undefined && !/^\S+$/.test(rootToken)) {
    throw new UsageError("--root-token must be a non-empty value without spaces");
  }

  const job: Record<string, string> = {};
  for (const item of (values.job ?? []).flatMap((value) => value.split(","))) {
    const equals = item.indexOf("=");
    if (equals <= 0) throw new UsageError(`--job takes key=value pairs separated by commas, got "${item}"`);
    job[item.slice(0, equals).trim()] = item.slice(equals + 1).trim();
  }
  try {
    completeJobClaims(job);
  } catch (error) {
    if (error instanceof JobClaimsError) throw new UsageError(`--job: ${error.message}`, error.code);
    throw error;
  }

  const terraformPaths = values.terraform ?? [];
  const variableInputs = variableInputsInOrder(args);
  if (terraformPaths.length === 0 && variableInputs.length > 0) throw new UsageError("--var and --var-file set variables of --terraform PATH; add --terraform");
  const authMounts = (values["auth-mount"] ?? []).map((text) => {
    const mount = parseAuthMount(text);
    if (!mount) throw new UsageError(`--auth-mount takes PATH=TYPE, e.g. oidc=oidc, got "${text}"`);
    return mount;
  });

  const rateText = values["infisical-rate-limit"];
  if (rateText !== undefined && !/^\d+$/.test(rateText)) {
    throw new UsageError(`--infisical-rate-limit must be a whole number of requests per minute (0 turns it off), got "${rateText}"`);
  }

  const dataDir = values.data;
  const dataKeyFile = values["data-key-file"];
  if (dataDir === "") throw new UsageError("--data needs a directory; see keybridge dev --help");
  if (dataKeyFile !== undefined && dataDir === undefined) {
    throw new UsageError("--data-key-file is the key of --data DIR: add --data DIR, or drop --data-key-file");
  }

  const tls: TlsFlags = { generate: values.tls === true, certFile: values["tls-cert"], keyFile: values["tls-key"], clientCaFile: values["tls-client-ca"] };
  const givenFiles = tls.certFile !== undefined || tls.keyFile !== undefined;
  if (tls.generate && givenFiles) throw new UsageError("--tls makes a certificate, --tls-cert/--tls-key bring one: keep one of them");
  if (tls.clientCaFile !== undefined && !tls.generate && !givenFiles) throw new UsageError("--tls-client-ca needs HTTPS: add --tls, or --tls-cert and --tls-key");

  return {
    json: values.json === true,
    port,
    host,
    allowRemote,
    rootToken,
    issuer,
    job,
    auditLog: values["audit-log"],
    verbose: values.verbose === true,
    terraform: terraformPaths.length === 0 ? undefined : { paths: terraformPaths, commandLine: variableInputs, environment: process.env },
    authMounts,
    infisicalRateLimit: rateText === undefined ? undefined : Number(rateText),
    dataDir,
    dataKeyFile,
    tls,
    awsKeys: parseAwsKeys(values["aws-key"] ?? [], process.env),
  };
}

/** --var and --var-file in command-line order: a later one wins, as in Terraform. */
function variableInputsInOrder(args: readonly string[]): CommandLineInput[] {
  const { tokens } = parseArgs({ args: [...args], options: devOptions, strict: false, allowPositionals: true, tokens: true });
  return tokens.flatMap((token) => (token.kind === "option" && (token.name === "var" || token.name === "var-file") && token.value !== undefined ? [variableInput(token.name, token.value)] : []));
}

function variableInput(flag: string, value: string): CommandLineInput {
  if (flag === "var-file") return { kind: "var-file", path: value };
  const equals = value.indexOf("=");
  if (equals <= 0) throw new UsageError("--var takes NAME=VALUE (the value given has no \"=\"); see keybridge dev --help");
  return { kind: "var", name: value.slice(0, equals).trim(), text: value.slice(equals + 1) };
}

/** Terraform-style lines: name = value, values as JSON. */
function outputLines(info: DevBackendInfo): string[] {
  if (!info.terraform) return [];
  const outputs = Object.entries(info.outputs ?? {});
  return [
    `Applied ${info.terraform.applied} resource${info.terraform.applied === 1 ? "" : "s"} from ${info.terraform.file}.`,
    ...(outputs.length > 0 ? ["Outputs:", ...outputs.map(([name, value]) => `  ${name} = ${JSON.stringify(value)}`)] : []),
    "",
  ];
}

/** The JSON line's and the block's facts: the backend's, and the CA file clients trust with --tls. */
type PrintedInfo = DevBackendInfo & { readonly tls?: { readonly caFile?: string; readonly clientCertificates: boolean } };

function tlsLines(info: PrintedInfo): string[] {
  if (!info.tls) return [];
  return [
    ...(info.tls.caFile ? [`  TLS CA:      ${info.tls.caFile} (trust it: VAULT_CACERT, the caCertificate input as base64)`] : []),
    ...(info.tls.clientCertificates ? ["  mutual TLS:  clients must present a certificate signed by --tls-client-ca"] : []),
  ];
}

function humanBlock(info: PrintedInfo): string {
  const caExport = info.tls?.caFile ? ` VAULT_CACERT=${info.tls.caFile}` : "";
  return [
    `keybridge dev is serving the Vault API and GitHub's OIDC token service at ${info.vault.addr}`,
    `  root token:  ${info.vault.rootToken}`,
    `  Infisical:   ${info.infisical.addr} (the url input of backend: infisical; the API is under /api)`,
    `  OIDC issuer: ${info.oidc.issuer} (keys: ${info.oidc.jwksUrl})`,
    ...tlsLines(info),
    "",
    ...outputLines(info),
    "In another shell:",
    `  export VAULT_ADDR=${info.vault.addr} VAULT_TOKEN=${info.vault.rootToken} ACTIONS_ID_TOKEN_REQUEST_URL='${info.oidc.requestUrl}' ACTIONS_ID_TOKEN_REQUEST_TOKEN=${info.oidc.requestToken}${caExport}`,
    "",
    info.data ? `The Vault side is kept in ${info.data.dir} (encrypted). Stop with Ctrl-C.` : "Data lives in memory. Stop with Ctrl-C.",
    "",
  ].join("\n");
}

export async function runDev(args: readonly string[]): Promise<number> {
  if (args[0] === "token") {
    const { runDevToken } = await import("./dev-token-command.ts");
    return runDevToken(args.slice(1));
  }
  const flags = parseDevFlags(args);
  if (!isLoopback(flags.host)) {
    process.stderr.write(
      `keybridge dev: warning: listening on ${flags.host}: anyone who can reach it can mint OIDC tokens and read secrets with the root token\n`,
    );
  }
  // Listen for the stop signals before saying "ready": whoever reads that line may signal at once.
  const stopped = new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  const { tls, generated } = await tlsFor(flags);
  let backend: Awaited<ReturnType<typeof startDevBackend>>;
  try {
    backend = await startDevBackend({
      host: flags.host,
      port: flags.port,
      allowRemote: flags.allowRemote,
      rootToken: flags.rootToken,
      issuer: flags.issuer,
      defaultJob: flags.job,
      auditLogPath: flags.auditLog,
      verbose: flags.verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
      terraformFile: flags.terraform,
      authMounts: flags.authMounts,
      infisicalRateLimit: flags.infisicalRateLimit,
      awsKeys: flags.awsKeys,
      dataDir: flags.dataDir,
      dataKeyFile: flags.dataKeyFile,
      tls,
    });
  } catch (error) {
    generated?.dispose();
    if (!(error instanceof TerraformError)) throw error;
    // One line per problem, so that every refusal of the file shows in one run.
    for (const line of error.lines) process.stderr.write(`keybridge dev: ${error.code}: ${line}\n`);
    return 1;
  }
  for (const line of backend.info.terraform?.warnings ?? []) process.stderr.write(`keybridge dev: warning: ${line}\n`);
  const info: PrintedInfo = tls ? { ...backend.info, tls: { ...(generated ? { caFile: generated.caFile } : {}), clientCertificates: tls.clientCa !== undefined } } : backend.info;
  process.stdout.write(flags.json ? `${JSON.stringify(info)}\n` : humanBlock(info));
  await stopped;
  await backend.close();
  generated?.dispose();
  return 0;
}

/** The TLS material the flags ask for: none, the files given, or a certificate made now. */
async function tlsFor(flags: DevFlags): Promise<{ tls: DevTls | undefined; generated: GeneratedTls | undefined }> {
  const { tls } = flags;
  if (!tls.generate && tls.certFile === undefined && tls.keyFile === undefined) return { tls: undefined, generated: undefined };
  if (!tls.generate) return { tls: readTlsFiles(tls), generated: undefined };
  const clientCa = readClientCa(tls.clientCaFile);
  const generated = await generateTls(flags.dataDir);
  return { tls: { ...generated.tls, ...(clientCa ? { clientCa } : {}) }, generated };
}
