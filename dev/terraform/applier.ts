// What each supported resource type or data source declares: the attributes it accepts (a zod
// object; its keys are the only attributes allowed), the attributes it computes (which references
// may read too), the ones Terraform treats as sensitive, and how it is applied: vault_* through
// the Vault API, infisical_* into the Infisical store. `apply` answers the resource's state: its
// attributes, defaults and computed values.
import type * as z from "zod";
import { StoreError, type InfisicalStore } from "../infisical/store.ts";
import { describeIssues } from "./attributes.ts";
import { ApplyProblem } from "./problems.ts";
import { vaultData, type VaultApi } from "./vault-api.ts";

/** Where a file's resources go. */
export interface ApplyTargets {
  readonly vault: VaultApi;
  readonly infisical: InfisicalStore;
}

export type BackendName = "vault" | "infisical";

export interface CheckContext {
  readonly vault: VaultApi;
  /** Auth paths ("oidc") that resources of the file enable, when their path is written literally. */
  readonly declaredAuthPaths: ReadonlySet<string>;
}

export interface Applier {
  readonly kind: "resource" | "data";
  readonly type: string;
  /** Whose provider the type belongs to (its docs, the real backend to apply it to). */
  readonly backend: BackendName;
  readonly attributes: z.ZodObject;
  readonly computed: readonly string[];
  readonly sensitive: readonly string[];
  /** Attributes this backend cannot honour, each with what to do instead. */
  readonly unsupported: Readonly<Record<string, string>>;
  /** Groups of attributes of which exactly one must be set. */
  readonly exactlyOneOf: readonly (readonly string[])[];
  /** Checks that need the running backend, before anything is applied (only for bodies without references). */
  precheck?(body: Readonly<Record<string, unknown>>, context: CheckContext): Promise<string | undefined>;
  apply(body: Readonly<Record<string, unknown>>, targets: ApplyTargets): Promise<Record<string, unknown>>;
}

interface ApplierSpec<Shape extends z.ZodRawShape> {
  readonly kind?: "resource" | "data";
  readonly type: string;
  readonly attributes: z.ZodObject<Shape>;
  readonly computed?: readonly string[];
  readonly sensitive?: readonly string[];
  readonly unsupported?: Readonly<Record<string, string>>;
  readonly exactlyOneOf?: readonly (readonly string[])[];
  precheck?(attributes: z.output<z.ZodObject<Shape>>, context: CheckContext): Promise<string | undefined>;
  apply(attributes: z.output<z.ZodObject<Shape>>, vault: VaultApi): Promise<Record<string, unknown>>;
}

type InfisicalApplierSpec<Shape extends z.ZodRawShape> = Omit<ApplierSpec<Shape>, "apply" | "precheck" | "kind"> & {
  /** Synchronous: the store is in-process. A StoreError becomes the resource's problem. */
  apply(attributes: z.output<z.ZodObject<Shape>>, store: InfisicalStore): Record<string, unknown>;
};

function parser<Shape extends z.ZodRawShape>(attributes: z.ZodObject<Shape>) {
  return (body: Readonly<Record<string, unknown>>) => {
    const result = attributes.safeParse(body);
    if (!result.success) throw new ApplyProblem(describeIssues(result.error));
    return result.data;
  };
}

function common<Shape extends z.ZodRawShape>(spec: Omit<ApplierSpec<Shape>, "apply" | "precheck">, backend: BackendName) {
  return {
    kind: spec.kind ?? "resource",
    type: spec.type,
    backend,
    attributes: spec.attributes as unknown as z.ZodObject,
    computed: spec.computed ?? [],
    sensitive: spec.sensitive ?? [],
    unsupported: spec.unsupported ?? {},
    exactlyOneOf: spec.exactlyOneOf ?? [],
  };
}

export function defineApplier<Shape extends z.ZodRawShape>(spec: ApplierSpec<Shape>): Applier {
  const parse = parser(spec.attributes);
  const precheck = spec.precheck;
  return {
    ...common(spec, "vault"),
    ...(precheck ? { precheck: (body: Readonly<Record<string, unknown>>, context: CheckContext) => precheck(parse(body), context) } : {}),
    apply: (body, targets) => spec.apply(parse(body), targets.vault),
  };
}

export function defineInfisicalApplier<Shape extends z.ZodRawShape>(spec: InfisicalApplierSpec<Shape>): Applier {
  const parse = parser(spec.attributes);
  return {
    ...common(spec, "infisical"),
    async apply(body, targets) {
      try {
        return spec.apply(parse(body), targets.infisical);
      } catch (error) {
        if (error instanceof StoreError) throw new ApplyProblem(error.message);
        throw error;
      }
    },
  };
}

/** "/jwt/" → "jwt": mount paths and names as the provider trims them. */
export function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, "");
}

/** Drops undefined entries, so a request body carries only what the resource sets. */
export function defined(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

/**
 * Writes BACKEND/roles/NAME (or another collection: a database mount's static-roles/) with the
 * resource's other attributes as the body, as the provider's role resources of secrets engines
 * (database, pki) do; answers the resource's state.
 */
export async function writeBackendRole<A extends { readonly backend: string; readonly name: string }>(attributes: A, vault: VaultApi, collection = "roles"): Promise<Record<string, unknown>> {
  const backend = trimSlashes(attributes.backend);
  const name = trimSlashes(attributes.name);
  const { backend: _backend, name: _name, ...fields } = attributes;
  const path = `${backend}/${collection}/${name}`;
  await vaultData(vault, "POST", path, defined(fields));
  return { ...attributes, backend, name, id: path };
}
