// The answers of `keybridge access` as a person reads them (a table), as a program reads them
// (JSON), and as a picture (Mermaid, which GitHub renders in comments and markdown files).
import type { AccessRole } from "./graph.ts";
import { describePrincipal } from "./describe.ts";
import type { PathAccess } from "./query.ts";

export type AccessFormat = "table" | "json" | "mermaid";

export interface RoleReach {
  readonly role: AccessRole;
  readonly access: readonly PathAccess[];
  /** The role's policy rules, for paths the configuration does not declare. */
  readonly rules: readonly { pattern: string; capabilities: readonly string[]; policy: string }[];
}

const ttl = (role: AccessRole) => (role.ttlSeconds === undefined ? "backend default" : `${role.ttlSeconds}s${role.maxTtlSeconds ? ` (max ${role.maxTtlSeconds}s)` : ""}`);

export function renderWhoCan(path: string, found: readonly PathAccess[], format: AccessFormat): string {
  if (format === "json") {
    return `${JSON.stringify({ path, access: found.map((entry) => ({ principal: describePrincipal(entry.role.principal), principalDetail: entry.role.principal, role: entry.role.id, source: entry.role.source, capabilities: entry.capabilities, pattern: entry.pattern, policies: entry.policies, ttlSeconds: entry.role.ttlSeconds ?? null, maxTtlSeconds: entry.role.maxTtlSeconds ?? null })) }, null, 2)}\n`;
  }
  if (format === "mermaid") return mermaid(found.map((entry) => ({ role: entry.role, target: path, label: entry.capabilities.join(", ") })));
  if (found.length === 0) return `Nobody can reach ${path}.\n`;
  const rows = found.map((entry) => [describePrincipal(entry.role.principal), entry.role.id, entry.capabilities.join(", "), `${entry.policies.join(", ")}: ${entry.pattern}`, ttl(entry.role)]);
  return `Who can reach ${path}:\n\n${table(["who", "role", "can", "policy: rule", "token ttl"], rows)}`;
}

export function renderReach(claims: Readonly<Record<string, string>>, reach: readonly RoleReach[], format: AccessFormat): string {
  if (format === "json") {
    return `${JSON.stringify({ claims, roles: reach.map((entry) => ({ role: entry.role.id, source: entry.role.source, ttlSeconds: entry.role.ttlSeconds ?? null, paths: entry.access.map((access) => ({ capabilities: access.capabilities, pattern: access.pattern, policies: access.policies })), rules: entry.rules })) }, null, 2)}\n`;
  }
  if (format === "mermaid") return mermaid(reach.flatMap((entry) => entry.rules.map((rule) => ({ role: entry.role, target: rule.pattern, label: rule.capabilities.join(", ") }))));
  const job = Object.entries(claims).map(([name, value]) => `${name}=${value}`).join(", ");
  if (reach.length === 0) return `A job with ${job} can log in to no role.\n`;
  const sections = reach.map((entry) => {
    const declared = entry.access.length === 0 ? "  (no declared secret)\n" : table(["path", "can", "rule"], entry.access.map((access) => [access.path, access.capabilities.join(", "), access.pattern]), "  ");
    const rules = table(["rule", "capabilities", "policy"], entry.rules.map((rule) => [rule.pattern, rule.capabilities.join(", "), rule.policy]), "  ");
    return `Role ${entry.role.id} (${entry.role.source}; token ttl ${ttl(entry.role)})\n Declared secrets it reaches:\n${declared} Its rules:\n${rules}`;
  });
  return `A job with ${job} can log in to ${reach.length} role${reach.length === 1 ? "" : "s"}:\n\n${sections.join("\n")}`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[], indent = ""): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => `${indent}${cells.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd()}\n`;
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("");
}

interface Edge {
  readonly role: AccessRole;
  readonly target: string;
  readonly label: string;
}

/** principal → role → path; labels are quoted with Mermaid's entity escapes, so no text can end a node. */
export function mermaid(edges: readonly Edge[]): string {
  const ids = new Map<string, string>();
  const nodes: string[] = [];
  const node = (kind: string, text: string) => {
    const key = `${kind}\u0000${text}`;
    let id = ids.get(key);
    if (!id) {
      id = `${kind}${ids.size}`;
      ids.set(key, id);
      nodes.push(`  ${id}["${mermaidText(text)}"]`);
    }
    return id;
  };
  const links = new Set<string>();
  for (const edge of edges) {
    const who = node("p", describePrincipal(edge.role.principal));
    const role = node("r", edge.role.id);
    const target = node("s", edge.target);
    links.add(`  ${who} --> ${role}`);
    links.add(`  ${role} -->|"${mermaidText(edge.label)}"| ${target}`);
  }
  return `flowchart LR\n${[...nodes, ...links].join("\n")}\n`;
}

export function mermaidText(text: string): string {
  return text.replace(/[^A-Za-z0-9 ,.:/_*+=()-]/g, (char) => `#${char.codePointAt(0)};`);
}
