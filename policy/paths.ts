// What a grant's path means: a secret's name, a folder glob ("api/*": everything under api/), or
// "*" (every secret of the environment).

export function pathCoversSecret(path: string, secret: string): boolean {
  if (path === "*") return true;
  if (path.endsWith("/*")) return secret.startsWith(path.slice(0, -1));
  return path === secret;
}

export function pathMatchesAnySecret(path: string, secrets: readonly string[]): boolean {
  for (const secret of secrets) if (pathCoversSecret(path, secret)) return true;
  return false;
}
