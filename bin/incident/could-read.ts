// What every backend's drill shares: who could still read the secret (the access graph of the
// applied configuration) and the rotation step, with their report sections and the summary's end.
import { AccessQuery, type PathAccess } from "../../policy/access/query.ts";
import type { AccessGraph } from "../../policy/access/graph.ts";
import { describePrincipal } from "../../policy/access/describe.ts";
import { inlineCode } from "../../policy/render/markdown-escape.ts";
import { visible } from "../../policy/render/sanitize.ts";
import { rotateSecret } from "../../client/rotation/rotate-secret.ts";
import { describeRotation } from "../../client/rotation/outcome-lines.ts";
import type { GeneratedSecret } from "../../client/rotation/generated-secrets.ts";
import type { VersionedSecretStore } from "../../client/rotation/versioned-store.ts";

export interface CouldRead {
  readonly source: string;
  readonly access: readonly PathAccess[];
}

export interface Rotation {
  readonly rotated: boolean;
  readonly reason: string;
}

/** A generated secret at the leaked path, and where to write its new value. */
export interface GeneratedRotation {
  readonly store: VersionedSecretStore;
  readonly secret: GeneratedSecret;
}

/** The roles whose policies let a login read one of the paths, once each. */
export function whoCouldRead(graph: AccessGraph, paths: readonly string[]): PathAccess[] {
  const query = new AccessQuery(graph);
  const seen = new Map<string, PathAccess>();
  for (const path of paths) for (const access of query.whoCan(path, ["read"])) if (!seen.has(access.role.id)) seen.set(access.role.id, access);
  return [...seen.values()];
}

/**
 * A generated secret gets a new value now, whatever its age (check-and-set, as `keybridge rotate`
 * writes it); any other secret is left to the operator, and the report says so.
 */
export async function rotationStep(generated: GeneratedRotation | undefined, options: { readonly dryRun: boolean; readonly now: Date }): Promise<Rotation> {
  if (!generated) {
    return { rotated: false, reason: "not rotated by the drill: rotate the secret with `keybridge rotate` (or at its source), then run the drill again with --since to see that nobody read the new value" };
  }
  const outcome = await rotateSecret(generated.store, generated.secret.secret, generated.secret.rule, { force: true, dryRun: options.dryRun, now: options.now });
  return { rotated: outcome.kind === "rotated", reason: `generated secret: ${describeRotation(outcome)}` };
}

export function couldReadJson(couldRead: CouldRead | undefined): unknown {
  if (!couldRead) return null;
  return {
    source: couldRead.source,
    roles: couldRead.access.map((access) => ({
      role: access.role.id,
      principal: describePrincipal(access.role.principal),
      source: access.role.source,
      policies: access.policies,
      pattern: access.pattern,
      capabilities: access.capabilities,
      ttlSeconds: access.role.ttlSeconds ?? null,
    })),
  };
}

/** The "Who could still read it" section's lines. */
export function couldReadMarkdown(couldRead: CouldRead | undefined, privileged: string): string[] {
  const code = (value: string) => inlineCode(value);
  const out = ["## Who could still read it", ""];
  if (!couldRead) out.push("Not computed: give the configuration that was applied with --from (a policy document or a Terraform directory).");
  else if (couldRead.access.length === 0) out.push(`Nobody, according to ${code(couldRead.source)} (${privileged} aside).`);
  else {
    out.push(`According to ${code(couldRead.source)}, a new login to these roles can read it (${privileged} aside):`, "");
    out.push("| who | role | policy: rule | token ttl |", "|---|---|---|---|");
    for (const access of couldRead.access) {
      const ttl = access.role.ttlSeconds === undefined ? "backend default" : `${access.role.ttlSeconds}s`;
      out.push(`| ${code(describePrincipal(access.role.principal))} | ${code(access.role.id)} | ${code(`${access.policies.join(", ")}: ${access.pattern}`)} | ${ttl} |`);
    }
  }
  return out;
}

/** "1 read", "3 reads". */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** The summary's last lines, the same on every backend: who could read it, rotation, dry run, files. */
export function summaryEnd(lines: string[], result: { readonly couldRead: CouldRead | undefined; readonly rotation: Rotation; readonly dryRun: boolean }, files: readonly string[]): string {
  if (result.couldRead) {
    const roles = result.couldRead.access.map((access) => visible(access.role.id));
    lines.push(`could still read it: ${roles.length === 0 ? "nobody" : `${count(roles.length, "role")}: ${roles.join(", ")}`}`);
  }
  lines.push(`rotation: ${result.rotation.reason}`);
  if (result.dryRun) lines.push("dry run: nothing was changed");
  lines.push(`report: ${files.join(", ")}`);
  return `${lines.join("\n")}\n`;
}
