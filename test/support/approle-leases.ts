// What the AppRole and lease conformance tests set up on a dev backend, over the HTTP API as root:
// an AppRole role, a database mount with a connection and a role with short lease TTLs, and the
// policy that lets the role's tokens read that role's credentials.
import { expectOk, type TestBackend } from "./dev-backend.ts";

export const appRole = { name: "trainer", dbRole: "train", policy: "db-train" } as const;

export async function configureAppRoleLeases(test: TestBackend): Promise<{ roleId: string }> {
  await expectOk(test.vault("POST", "sys/auth/approle", { body: { type: "approle" } }));
  await expectOk(test.vault("POST", "sys/mounts/database", { body: { type: "database" } }));
  await expectOk(
    test.vault("POST", "database/config/pg", {
      body: { plugin_name: "postgresql-database-plugin", connection_url: "postgresql://{{username}}:{{password}}@pg:5432/x", username: "v", password: "conformance-root-pw", allowed_roles: [appRole.dbRole] },
    }),
  );
  await expectOk(
    test.vault("POST", `database/roles/${appRole.dbRole}`, { body: { db_name: "pg", creation_statements: ['CREATE ROLE "{{name}}";'], default_ttl: "1m", max_ttl: "5m" } }),
  );
  await expectOk(test.vault("PUT", `sys/policies/acl/${appRole.policy}`, { body: { policy: `path "database/creds/${appRole.dbRole}" { capabilities = ["read"] }` } }));
  await expectOk(test.vault("POST", `auth/approle/role/${appRole.name}`, { body: { token_policies: [appRole.policy], token_ttl: "10m" } }));
  const roleId = (await expectOk(test.vault("GET", `auth/approle/role/${appRole.name}/role-id`))).body.data.role_id as string;
  return { roleId };
}
