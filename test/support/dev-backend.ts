// Starts the dev backend in-process for a test, with a clock the test moves, and binds testkit's
// admin client to it.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDevBackend, type DevBackend, type DevBackendOptions } from "../../dev/server.ts";
import { vaultCall, type VaultCallOptions, type VaultReply } from "../../testkit/admin/vault.ts";
import { githubToken } from "../../testkit/admin/oidc-jobs.ts";

export type { VaultReply };

export interface TestClock {
  /** Milliseconds since the epoch, as the backend sees them. */
  ms: number;
  advance(seconds: number): void;
}

export interface TestBackend {
  readonly backend: DevBackend;
  readonly addr: string;
  readonly rootToken: string;
  readonly clock: TestClock;
  /** A Vault API call; `path` is relative to /v1/. The root token is used unless `token` is given. */
  vault(method: string, path: string, options?: VaultCallOptions): Promise<VaultReply>;
  /** A GitHub OIDC token for a job with these claims, as a runner would fetch it. */
  githubToken(claims: Readonly<Record<string, string>>, audience?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTestBackend(options: Omit<DevBackendOptions, "now"> = {}): Promise<TestBackend> {
  const clock: TestClock = {
    ms: Date.UTC(2025, 0, 15, 12, 0, 0),
    advance(seconds) {
      this.ms += seconds * 1000;
    },
  };
  const backend = await startDevBackend({ ...options, now: () => clock.ms });
  const addr = backend.info.vault.addr;
  const rootToken = backend.info.vault.rootToken;

  const admin = { addr, token: rootToken };
  return {
    backend,
    addr,
    rootToken,
    clock,
    vault: (method, path, options) => vaultCall(admin, method, path, options),
    githubToken: (claims, audience) => githubToken(admin, claims, audience),
    close: () => backend.close(),
  };
}

/** GitHub OIDC login on auth/jwt, as the demo and the README set it up. */
export async function configureGithubJwt(test: TestBackend, mount = "jwt"): Promise<void> {
  await expectOk(test.vault("POST", `sys/auth/${mount}`, { body: { type: "jwt" } }));
  await expectOk(
    test.vault("POST", `auth/${mount}/config`, {
      body: {
        oidc_discovery_url: "https://token.actions.githubusercontent.com",
        bound_issuer: "https://token.actions.githubusercontent.com",
      },
    }),
  );
}

export async function expectOk(reply: Promise<VaultReply>): Promise<VaultReply> {
  const done = await reply;
  if (done.status >= 300) throw new Error(`expected success, got ${done.status}: ${JSON.stringify(done.body)}`);
  return done;
}

export interface TerraformTestBackend {
  readonly test: TestBackend;
  /** The Terraform JSON file the backend applied. */
  readonly file: string;
  readonly auditPath: string;
  close(): Promise<void>;
}

/** A backend started in-process from a Terraform JSON document written to a temp file, with an audit log. */
export async function startFromTerraform(document: unknown, fileName: string): Promise<TerraformTestBackend> {
  const dir = await mkdtemp(join(tmpdir(), "keybridge-tf-"));
  const file = join(dir, fileName);
  const auditPath = join(dir, "audit.log");
  await writeFile(file, JSON.stringify(document, null, 2));
  const test = await startTestBackend({ terraformFile: file, auditLogPath: auditPath });
  return {
    test,
    file,
    auditPath,
    async close() {
      await test.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
