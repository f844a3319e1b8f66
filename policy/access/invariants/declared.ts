// Invariants a team declares in keybridge.checks.yml beside its configuration: which paths are
// protected, the longest token lifetime, rules of its own ("only the deploy workflow on main may
// read prod"), and exceptions that must say why.
import * as z from "zod/mini";
import { globMatch } from "../../principal/claim-patterns.ts";
import { levels } from "../../risk/level.ts";
import { describePrincipal } from "../describe.ts";
import { defaultSettings, type Invariant, type InvariantSettings } from "./invariant.ts";
import { admits } from "./witness.ts";

const id = z.string().check(z.regex(/^[A-Z][A-Z0-9]*\d{3}$/, "must be an ID such as ACME001"));

const DeclaredRule = z.object({
  id,
  level: z.enum(levels),
  title: z.string().check(z.minLength(1)),
  why: z.optional(z.string()),
  /** API path globs the rule guards. */
  paths: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
  /** Every job that can read those paths must carry one of these values for each claim. */
  onlyFrom: z.record(z.string().check(z.minLength(1)), z.array(z.string().check(z.minLength(1))).check(z.minLength(1))),
});

const Exception = z.object({
  rule: z.string().check(z.minLength(1)),
  /** The role id the exception covers (`auth/jwt/role/legacy`). */
  role: z.string().check(z.minLength(1)),
  reason: z.string().check(z.minLength(10, "must say why the exception is accepted (10 characters or more)")),
});

export const ChecksFile = z.object({
  protected: z.optional(z.array(z.string().check(z.minLength(1)))),
  maxTtlSeconds: z.optional(z.number().check(z.int(), z.positive())),
  rules: z.optional(z.array(DeclaredRule)),
  exceptions: z.optional(z.array(Exception)),
});

export type ChecksFile = z.infer<typeof ChecksFile>;
export type DeclaredRule = z.infer<typeof DeclaredRule>;

export function settingsFrom(file: ChecksFile | undefined, derivedProtected: readonly string[] | undefined): InvariantSettings {
  return {
    protectedPaths: file?.protected ?? derivedProtected ?? defaultSettings.protectedPaths,
    maxTtlSeconds: file?.maxTtlSeconds ?? defaultSettings.maxTtlSeconds,
  };
}

/** A declared rule as an invariant: each role reading a guarded path must not admit a job outside `onlyFrom`. */
export function declaredInvariant(rule: DeclaredRule): Invariant {
  return {
    id: rule.id,
    level: rule.level,
    title: rule.title,
    why: rule.why ?? "Declared by the team in keybridge.checks.yml.",
    check(context) {
      const guarded = (path: string) => rule.paths.some((pattern) => globMatch(pattern, path));
      return context.graph.roles.flatMap((role) => {
        const paths = [...context.query.reach(role).filter((access) => access.capabilities.includes("read") && guarded(access.path)).map((access) => access.path), ...context.query.rules(role).filter((entry) => entry.capabilities.includes("read") && guarded(entry.pattern)).map((entry) => entry.pattern)];
        if (paths.length === 0) return [];
        const escapes = Object.entries(rule.onlyFrom).filter(([claim]) => (role.principal.kind !== "jwt" && role.principal.kind !== "infisical-oidc") || admits(role.principal, { [claim]: "kb-witness-outside" }));
        if (escapes.length === 0) return [];
        const claims = escapes.map(([claim, values]) => `${claim} other than ${values.join(" or ")}`).join(", ");
        return [{ role, path: paths[0], detail: `${describePrincipal(role.principal)} → ${role.id} (${role.source}) can read ${paths[0]}${paths.length > 1 ? ` and ${paths.length - 1} more` : ""} with ${claims}` }];
      });
    },
  };
}
