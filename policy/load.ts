// Reads a policy document and reports every problem at once, each with its JSON path, so a broken
// file is fixed in one pass. Pure: the caller reads the file.
import * as z from "zod/mini";
import { PolicyDocument, documentVersion, type Project, type Secret } from "./document.ts";
import { readValidDocument, type SharedPrincipals } from "./load-valid.ts";
import { generatorProblem } from "./rotation-generator.ts";
import { pathMatchesAnySecret } from "./paths.ts";
import { visible } from "./render/sanitize.ts";
import { textsInOrder } from "./text-order.ts";

export type LoadResult = { readonly ok: true; readonly document: PolicyDocument } | { readonly ok: false; readonly problems: readonly string[] };

export function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((text, key) => (typeof key === "number" ? `${text}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(String(key)) ? `${text}.${String(key)}` : `${text}[${JSON.stringify(String(key))}]`), "$");
}

const none: readonly string[] = [];

/** The names written more than once, each once. A loop: it runs three times per project. */
function duplicates(names: readonly string[]): Iterable<string> {
  // Most lists are written in order (synth sorts them): then no name is repeated.
  if (textsInOrder(names)) return none;
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (seen.has(name)) twice.add(name);
    else seen.add(name);
  }
  return twice;
}

// JSON paths are spelled out only for a problem: a valid document of 10,000 grants has none.
const projectAt = (p: number) => `$.projects[${p}]`;
const grantAt = (p: number, g: number) => `${projectAt(p)}.grants[${g}]`;

/** Cross-references the schema cannot express: names unique, grants pointing at what exists. */
function referenceProblems(document: PolicyDocument): string[] {
  const problems: string[] = [];
  const issuers = new Set(document.issuers.map((issuer) => issuer.name));
  for (const name of duplicates(document.issuers.map((issuer) => issuer.name))) problems.push(`$.issuers: the name "${name}" is used twice`);
  for (const name of duplicates(document.projects.map((project) => project.name))) problems.push(`$.projects: the project "${name}" is declared twice`);
  document.projects.forEach((project: Project, p) => {
    const environmentNames = project.environments.map((environment) => environment.name);
    const environments = new Set(environmentNames);
    const secrets = project.secrets.map((secret) => secret.name);
    for (const name of duplicates(environmentNames)) problems.push(`${projectAt(p)}.environments: the environment "${name}" is declared twice`);
    for (const name of duplicates(secrets)) problems.push(`${projectAt(p)}.secrets: the secret "${name}" is declared twice`);
    for (const name of duplicates(project.grants.map((grant) => grant.id))) problems.push(`${projectAt(p)}.grants: the grant id "${name}" is used twice`);
    project.secrets.forEach((secret, s) => {
      if (secret.rotation) problems.push(...rotationProblems(`${projectAt(p)}.secrets[${s}].rotation`, secret));
    });
    // Plain loops: this runs once per grant, on documents of tens of thousands.
    for (let g = 0; g < project.grants.length; g++) {
      const grant = project.grants[g]!;
      if (grant.environment !== "*" && !environments.has(grant.environment)) {
        problems.push(`${grantAt(p, g)}.environment: "${grant.environment}" is not an environment of ${project.name} (${environmentNames.join(", ")})`);
      }
      for (let i = 0; i < grant.paths.length; i++) {
        const path = grant.paths[i]!;
        if (path !== "*" && !pathMatchesAnySecret(path, secrets)) problems.push(`${grantAt(p, g)}.paths[${i}]: "${path}" matches no secret of ${project.name}`);
      }
      if (grant.principal.kind === "github-oidc" && !issuers.has(grant.principal.issuer)) {
        problems.push(`${grantAt(p, g)}.principal.issuer: "${grant.principal.issuer}" is not an issuer of the document`);
      }
      if (grant.tokenMaxTtlSeconds < grant.tokenTtlSeconds) {
        problems.push(`${grantAt(p, g)}.tokenMaxTtlSeconds: ${grant.tokenMaxTtlSeconds} is shorter than tokenTtlSeconds ${grant.tokenTtlSeconds}`);
      }
    }
  });
  return problems;
}

/** A generated secret needs a sound generator and named keys; the other strategies take no generator. */
function rotationProblems(at: string, secret: Secret): string[] {
  const { rotation } = secret;
  if (!rotation) return [];
  if (rotation.strategy !== "generated") return rotation.generator ? [`${at}.generator: only a rotation with strategy "generated" has one`] : [];
  if (!rotation.generator) return [`${at}.generator: strategy "generated" needs a generator (a format or an alphabet, and a length)`];
  const problem = generatorProblem(rotation.generator);
  const problems = problem ? [`${at}.generator: ${problem}`] : [];
  if (secret.keys.length === 0) problems.push(`${at}: a generated secret needs its keys listed (each gets a new value)`);
  return problems;
}

/** A problem quotes names and text from the document: shown on one line, whatever they hold. */
function oneLine(problem: string): string {
  return visible(problem, 500);
}

export function parsePolicyDocument(json: unknown): LoadResult {
  return readDocument(json, false);
}

function readDocument(json: unknown, parsedFromText: boolean, principals?: SharedPrincipals): LoadResult {
  const version = (json as { version?: unknown } | null)?.version;
  if (typeof version === "number" && version !== documentVersion) {
    return { ok: false, problems: [`$.version: ${version} is not supported; this Keybridge reads version ${documentVersion}`] };
  }
  let document = readValidDocument(json, { parsedFromText, principals });
  if (!document) {
    const parsed = z.safeParse(PolicyDocument, json);
    if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((issue) => oneLine(`${jsonPath(issue.path)}: ${issue.message}`)) };
    document = parsed.data;
  }
  const problems = referenceProblems(document).map(oneLine);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, document };
}

/** `principals`: documents loaded with the same pool share equal principals (see SharedPrincipals). */
export function loadPolicyDocument(text: string, principals?: SharedPrincipals): LoadResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [oneLine(`$: not JSON (${(error as Error).message})`)] };
  }
  return readDocument(json, true, principals);
}
