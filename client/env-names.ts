// The names secrets are exported under, by hashicorp/vault-action's rules so that migrated
// workflows see the same variables: every `.` becomes `__` (vault-action 3.4), `-` and anything that is not a
// letter, digit or `_` is dropped; environment names are upper-cased, output names keep case.

export function outputName(key: string): string {
  return key.replaceAll(".", "__").replace(/-/g, "").replace(/[^\p{L}\p{N}_]/gu, "");
}

export function envName(key: string): string {
  return outputName(key).toUpperCase();
}
