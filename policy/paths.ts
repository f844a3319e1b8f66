// What a grant's path means: a secret's name, a folder glob ("api/*": everything under api/), or
// "*" (every secret of the environment).

export function pathCoversSecret(path: string, secret: string): boolean {
  if (path === "*") return true;
  if (path.endsWith("/*")) return secret.startsWith(path.slice(0, -1));
  return path === secret;
}

// Indexed loops: plans ask these per grant, mostly before the optimizing compiler has seen them,
// and a for-of loop there makes an iterator result per item.

export function pathMatchesAnySecret(path: string, secrets: readonly string[]): boolean {
  for (let i = 0; i < secrets.length; i++) if (pathCoversSecret(path, secrets[i]!)) return true;
  return false;
}

/** Does any of a grant's paths cover the secret? */
export function pathsCoverSecret(paths: readonly string[], secret: string): boolean {
  for (let i = 0; i < paths.length; i++) if (pathCoversSecret(paths[i]!, secret)) return true;
  return false;
}
