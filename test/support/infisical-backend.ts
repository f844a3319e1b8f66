// The dev backend in-process with a hand-written Terraform document of infisical_* resources, a
// clock the test moves, and the few Infisical API calls tests make (OIDC login with an emulator
// token, reads with an access token).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DevBackendOptions } from "../../dev/server.ts";
import { infisicalCall, type ApiReply, type InfisicalCallOptions } from "../../testkit/admin/infisical.ts";
import { startTestBackend, type TestBackend } from "./dev-backend.ts";

export type { ApiReply };

export interface InfisicalTestBackend {
  readonly test: TestBackend;
  readonly addr: string;
  /** Output values of the document, sensitive ones included. */
  readonly outputs: Readonly<Record<string, any>>;
  call(method: string, path: string, options?: InfisicalCallOptions): Promise<ApiReply>;
  /** POST oidc-auth/login with an emulator token for these claims. */
  login(identityId: string, claims: Record<string, string>, audience?: string): Promise<ApiReply>;
  /** An access token of a successful login (throws otherwise). */
  tokenFor(identityId: string, claims: Record<string, string>, audience?: string): Promise<string>;
  close(): Promise<void>;
}

export const orgId = "7d0c5f0e-1111-4a2b-9c3d-000000000001";

export async function startInfisicalBackend(
  document: Record<string, unknown>,
  options: Omit<DevBackendOptions, "now" | "terraformFile"> = {},
): Promise<InfisicalTestBackend> {
  const dir = await mkdtemp(join(tmpdir(), "kb-infisical-"));
  const file = join(dir, "main.tf.json");
  await writeFile(file, JSON.stringify(document));
  let test: TestBackend;
  try {
    test = await startTestBackend({ ...options, terraformFile: file });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const addr = test.backend.info.infisical.addr;

  const call = (method: string, path: string, options?: InfisicalCallOptions) => infisicalCall(addr, method, path, options);

  async function login(identityId: string, claims: Record<string, string>, audience?: string): Promise<ApiReply> {
    return call("POST", "/api/v1/auth/oidc-auth/login", { json: { identityId, jwt: await test.githubToken(claims, audience) } });
  }

  return {
    test,
    addr,
    outputs: (test.backend.outputValues ?? {}) as Record<string, any>,
    call,
    login,
    async tokenFor(identityId, claims, audience) {
      const reply = await login(identityId, claims, audience);
      if (reply.status !== 200) throw new Error(`login answered ${reply.status}: ${JSON.stringify(reply.body)}`);
      return reply.body.accessToken as string;
    },
    async close() {
      await test.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `${type.name.attribute}` */
export const ref = (address: string, attribute: string) => `\${${address}.${attribute}}`;

/** An identity with OIDC auth on the emulated GitHub issuer, a role and a membership, as resources. */
export function ciIdentity(
  name: string,
  project: string,
  auth: Record<string, unknown>,
  permissions: readonly { subject?: string; action: string[]; conditions?: Record<string, unknown>; inverted?: boolean }[],
): Record<string, Record<string, Record<string, unknown>>> {
  return {
    infisical_identity: { [name]: { name, org_id: orgId, role: "no-access" } },
    infisical_identity_oidc_auth: {
      [name]: {
        identity_id: ref(`infisical_identity.${name}`, "id"),
        oidc_discovery_url: "https://token.actions.githubusercontent.com",
        bound_issuer: "https://token.actions.githubusercontent.com",
        ...auth,
      },
    },
    infisical_project_role: {
      [name]: {
        project_id: ref(`infisical_project.${project}`, "id"),
        name,
        slug: name.replaceAll("_", "-"),
        permissions_v2: permissions.map((permission) => ({
          subject: permission.subject ?? "secrets",
          action: permission.action,
          conditions: JSON.stringify(permission.conditions ?? {}),
          ...(permission.inverted ? { inverted: true } : {}),
        })),
      },
    },
    infisical_project_identity: {
      [name]: {
        project_id: ref(`infisical_project.${project}`, "id"),
        identity_id: ref(`infisical_identity.${name}`, "id"),
        roles: [{ role_slug: ref(`infisical_project_role.${name}`, "slug") }],
      },
    },
  };
}

/** Merges resource maps by type. */
export function resources(...parts: Record<string, Record<string, Record<string, unknown>>>[]): Record<string, Record<string, Record<string, unknown>>> {
  const merged: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const part of parts) for (const [type, named] of Object.entries(part)) merged[type] = { ...merged[type], ...named };
  return merged;
}
