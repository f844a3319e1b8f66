// What Vault's Kubernetes plugin reads from a service-account JWT: the nested `kubernetes.io`
// claims of a projected token, else the flat claims of a legacy Secret-based token. And Vault's
// glob for bound names and namespaces (go-glob): `*` alone is any; otherwise each `*` matches any
// run of characters, "/" included.

export interface ServiceAccountClaims {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  /** Empty for a projected token. */
  readonly secretName: string;
}

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

export function serviceAccountOf(claims: Readonly<Record<string, unknown>>): ServiceAccountClaims | undefined {
  const nested = record(claims["kubernetes.io"]);
  if (nested) {
    const account = record(nested.serviceaccount);
    const namespace = text(nested.namespace);
    const name = text(account?.name);
    if (namespace && name) return { namespace, name, uid: text(account?.uid) ?? "", secretName: text(record(nested.secret)?.name) ?? "" };
    return undefined;
  }
  const namespace = text(claims["kubernetes.io/serviceaccount/namespace"]);
  const name = text(claims["kubernetes.io/serviceaccount/service-account.name"]);
  if (!namespace || !name) return undefined;
  return {
    namespace,
    name,
    uid: text(claims["kubernetes.io/serviceaccount/service-account.uid"]) ?? "",
    secretName: text(claims["kubernetes.io/serviceaccount/secret.name"]) ?? "",
  };
}

export function vaultGlobMatch(patterns: readonly string[], value: string): boolean {
  return patterns.some((pattern) => {
    if (pattern === "*") return true;
    const parts = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
    return new RegExp(`^${parts.join(".*")}$`, "s").test(value);
  });
}
