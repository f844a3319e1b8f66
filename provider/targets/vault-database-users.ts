// The database users a Vault target declared (addDatabaseSecret: static roles of a database secrets
// mount), so that a grant of a Kubernetes service account can read their rotated credentials at
// <mount>/static-creds/<role>, and a sync writes a VaultDynamicSecret for them instead of a
// VaultStaticSecret. Looked up at synth, when every secret of the app is declared.
import type { Grant } from "../../policy/document.ts";
import type { PolicyRule } from "../../policy/access/vault/kv-v2-rules.ts";
import { compareText } from "../../policy/text-order.ts";

export interface StaticRole {
  /** The database secrets mount: its path, or a Terraform reference to it. */
  readonly mount: string;
  /** The static role's name, e.g. "ml-prod-database". */
  readonly role: string;
}

/** Whether a grant's path pattern (a secret's name, or a prefix ending in `*`) covers the secret. */
function covers(pattern: string, secret: string): boolean {
  return pattern.endsWith("*") ? secret.startsWith(pattern.slice(0, -1)) : pattern === secret;
}

interface DeclaredUser extends StaticRole {
  readonly project: string;
  readonly environment: string;
  readonly secret: string;
}

export class DatabaseUsers {
  private readonly users: DeclaredUser[] = [];

  add(project: string, environment: string, secret: string, role: StaticRole): void {
    this.users.push({ project, environment, secret, ...role });
  }

  /** The static role behind a secret of one environment, when it is a database user. */
  staticRole(project: string, environment: string, secret: string): StaticRole | undefined {
    return this.users.find((user) => user.project === project && user.environment === environment && user.secret === secret);
  }

  /** Read on the static credentials of every database user the grant's paths cover. */
  staticCredsRules(project: string, grant: Pick<Grant, "environment" | "paths">): PolicyRule[] {
    return this.users
      .filter((user) => user.project === project && (grant.environment === "*" || grant.environment === user.environment))
      .filter((user) => grant.paths.some((pattern) => covers(pattern, user.secret)))
      .map((user): PolicyRule => ({ path: `${user.mount}/static-creds/${user.role}`, capabilities: ["read"] }))
      .sort((a, b) => compareText(a.path, b.path));
  }
}
