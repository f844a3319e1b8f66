// The names Kubernetes accepts (apimachinery's IsDNS1123Label / IsDNS1123Subdomain): a label is
// 1-63 lower-case letters, digits and '-', starting and ending with a letter or digit; a subdomain
// is such parts joined by '.', at most 253 characters in all (apimachinery limits only the whole,
// not each part, to 63). Namespaces are labels; service accounts, Secrets
// and custom resources are subdomains. Written as plain checks, not one regex, so a property test
// can hold them against the reference regex.

export type KubernetesNameKind = "label" | "subdomain";

const maxLength: Record<KubernetesNameKind, number> = { label: 63, subdomain: 253 };

const isAlphanumeric = (char: string) => (char >= "a" && char <= "z") || (char >= "0" && char <= "9");

/** Letters, digits and '-', starting and ending with a letter or digit (no length limit of its own). */
function isPart(text: string): boolean {
  if (text.length === 0) return false;
  if (!isAlphanumeric(text[0]!) || !isAlphanumeric(text[text.length - 1]!)) return false;
  for (const char of text) if (!isAlphanumeric(char) && char !== "-") return false;
  return true;
}

/** Whether Kubernetes accepts the name as a DNS-1123 label or subdomain. */
export function isKubernetesName(value: unknown, kind: KubernetesNameKind): value is string {
  if (typeof value !== "string" || value.length === 0 || value.length > maxLength[kind]) return false;
  return kind === "label" ? isPart(value) : value.split(".").every(isPart);
}

/** Why a name is refused, for an error line; undefined when it is accepted. */
export function kubernetesNameProblem(value: unknown, kind: KubernetesNameKind): string | undefined {
  if (isKubernetesName(value, kind)) return undefined;
  const shown = typeof value === "string" ? JSON.stringify(value) : `a ${value === null ? "null" : typeof value}`;
  const rule = kind === "label"
    ? "lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters"
    : "lower-case letters, digits, '-' and '.', each part starting and ending with a letter or digit, at most 253 characters";
  return `${shown} is not a DNS-1123 ${kind} (${rule})`;
}
