// Changes to what exists: the backend, issuers, projects, environments (and their protection),
// secrets (and their rotation). Grants are compared in grants.ts.
import { canonicalKey } from "../canonical.ts";
import type { PolicyDocument, Project, Rotation, Secret } from "../document.ts";
import { describeDuration, describeDurationChange } from "../duration-text.ts";
import { nameList, phrase, type Phrase } from "../phrase.ts";
import type { PolicyChange } from "./change.ts";
import { sameJson } from "./same-json.ts";
import { secretInEnvironments } from "./wording.ts";

const byName = <T extends { name: string }>(items: readonly T[]) => new Map(items.map((item) => [item.name, item]));
const union = (a: Iterable<string>, b: Iterable<string>) => [...new Set([...a, ...b])].sort();

function backendWords(backend: PolicyDocument["backend"]): Phrase {
  return backend.type === "vault" ? phrase`Vault (KV mount ${backend.mount}, JWT auth ${backend.authPath})` : phrase`Infisical at ${backend.url}`;
}

export function documentChanges(base: PolicyDocument, head: PolicyDocument): PolicyChange[] {
  const changes: PolicyChange[] = [];
  if (canonicalKey(base.backend) !== canonicalKey(head.backend)) {
    const [before, after] = [backendWords(base.backend), backendWords(head.backend)];
    changes.push({ kind: "backend.changed", summary: phrase`backend changes from ${before} to ${after}`, before, after });
  }
  const [was, now] = [byName(base.issuers), byName(head.issuers)];
  for (const name of union(was.keys(), now.keys())) {
    const [before, after] = [was.get(name), now.get(name)];
    if (!before && after) {
      changes.push({ kind: "issuer.added", issuer: name, summary: phrase`issuer ${name} added: tokens from ${after.url}`, before: [], after: phrase`${after.url}` });
    } else if (before && !after) {
      changes.push({ kind: "issuer.removed", issuer: name, summary: phrase`issuer ${name} removed (${before.url})`, before: phrase`${before.url}`, after: [] });
    } else if (before && after && before.url !== after.url) {
      const summary = phrase`issuer ${name} now trusts tokens from ${after.url} (before: ${before.url})`;
      changes.push({ kind: "issuer.url-changed", issuer: name, summary, before: phrase`${before.url}`, after: phrase`${after.url}` });
    }
  }
  return changes;
}

const strategyWords = { manual: "by people", backend: "by the backend", generated: "by keybridge rotate" } as const;
const rotationWords = (rotation: Rotation | undefined): Phrase =>
  rotation ? [`every ${describeDuration(rotation.maxAgeSeconds)}, ${strategyWords[rotation.strategy]}`] : ["none"];

function rotationChanges(project: string, address: string, secret: string, before: Rotation | undefined, after: Rotation | undefined): PolicyChange[] {
  const facts = { project, secret, rotationBefore: before, rotationAfter: after, before: rotationWords(before), after: rotationWords(after) };
  if (!before && !after) return [];
  if (!before) return [{ kind: "rotation.added", ...facts, summary: phrase`rotation of ${address} added: ${rotationWords(after)}` }];
  if (!after) return [{ kind: "rotation.removed", ...facts, summary: phrase`rotation of ${address} removed (before: ${rotationWords(before)})` }];
  const changes: PolicyChange[] = [];
  if (after.maxAgeSeconds !== before.maxAgeSeconds) {
    const relaxed = after.maxAgeSeconds > before.maxAgeSeconds;
    const summary = phrase`rotation of ${address} ${[relaxed ? "relaxed" : "tightened"]} ${[describeDurationChange(before.maxAgeSeconds, after.maxAgeSeconds)]}`;
    changes.push({ kind: relaxed ? "rotation.relaxed" : "rotation.tightened", ...facts, summary });
  }
  if (after.strategy !== before.strategy) {
    const summary = phrase`rotation of ${address} now done ${[strategyWords[after.strategy]]} (before: ${[strategyWords[before.strategy]]})`;
    changes.push({ kind: "rotation.strategy-changed", ...facts, summary });
  }
  return changes;
}

function secretChanges(project: string, environments: readonly string[], before: Secret | undefined, after: Secret | undefined): PolicyChange[] {
  const name = (after ?? before)!.name;
  const address = secretInEnvironments(project, environments, name);
  if (!before && after) return [{ kind: "secret.added", project, secret: name, summary: phrase`secret ${address} added (rotation: ${rotationWords(after.rotation)})`, before: [], after: phrase`${address}` }];
  if (before && !after) return [{ kind: "secret.removed", project, secret: name, summary: phrase`secret ${address} removed`, before: phrase`${address}`, after: [] }];
  if (!before || !after) return [];
  const changes: PolicyChange[] = [];
  if (before.keys.join("\n") !== after.keys.join("\n")) {
    const [was, now] = [nameList(before.keys, 5), nameList(after.keys, 5)];
    changes.push({ kind: "secret.keys-changed", project, secret: name, summary: phrase`keys of secret ${address}: ${was} → ${now}`, before: was, after: now });
  }
  return [...changes, ...rotationChanges(project, address, name, before.rotation, after.rotation)];
}

/** Changes to the project itself, its environments and secrets (not its grants). */
export function projectChanges(before: Project | undefined, after: Project | undefined): PolicyChange[] {
  const project = (after ?? before)!.name;
  if (!before && after) {
    const protectedOnes = after.environments.filter((environment) => environment.protected).map((environment) => environment.name);
    const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
    const environments = nameList(after.environments.map((environment) => environment.name), 10);
    const guarded: Phrase = protectedOnes.length > 0 ? phrase` (protected: ${nameList(protectedOnes, 10)})` : [];
    const summary = phrase`project ${project} added: environments ${environments}${guarded}, ${[count(after.secrets.length, "secret")]}, ${[count(after.grants.length, "grant")]}`;
    return [{ kind: "project.added", project, summary, before: [], after: phrase`${project}` }];
  }
  if (before && !after) return [{ kind: "project.removed", project, summary: phrase`project ${project} removed`, before: phrase`${project}`, after: [] }];
  if (!before || !after) return [];

  const changes: PolicyChange[] = [];
  // Most pull requests change grants only: equal lists (canonical, so in the same order) have no changes.
  if (!sameJson(before.environments, after.environments)) changes.push(...environmentChanges(project, before, after));
  if (sameJson(before.secrets, after.secrets)) return changes;
  const environments = after.environments.map((environment) => environment.name);
  const [had, has] = [byName(before.secrets), byName(after.secrets)];
  for (const name of union(had.keys(), has.keys())) changes.push(...secretChanges(project, environments, had.get(name), has.get(name)));
  return changes;
}

function environmentChanges(project: string, before: Project, after: Project): PolicyChange[] {
  const changes: PolicyChange[] = [];
  const [was, now] = [byName(before.environments), byName(after.environments)];
  for (const name of union(was.keys(), now.keys())) {
    const [old, current] = [was.get(name), now.get(name)];
    const address = `${project}/${name}`;
    const where = { project, environment: name };
    const protection = (isProtected: boolean): Phrase => [isProtected ? "protected" : "not protected"];
    if (!old && current) {
      changes.push({ kind: "environment.added", ...where, protected: current.protected, summary: phrase`environment ${address} added (${protection(current.protected)})`, before: [], after: protection(current.protected) });
    } else if (old && !current) {
      changes.push({ kind: "environment.removed", ...where, protected: old.protected, summary: phrase`environment ${address} removed`, before: protection(old.protected), after: [] });
    } else if (old && current && old.protected !== current.protected) {
      const summary = current.protected ? phrase`environment ${address} is now protected` : phrase`environment ${address} is no longer protected`;
      changes.push({ kind: current.protected ? "environment.protected" : "environment.unprotected", ...where, protected: current.protected, summary, before: protection(old.protected), after: protection(current.protected) });
    }
  }
  return changes;
}
