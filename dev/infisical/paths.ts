// Folder paths as Infisical compares them: always absolute, no repeated or trailing slash ("/"
// is the environment's root). Folder names are letters, digits, "-" and "_".

export function normalizeFolderPath(path: string): string {
  const segments = path.trim().split("/").filter((segment) => segment !== "");
  return `/${segments.join("/")}`;
}

export function joinFolderPath(parent: string, name: string): string {
  const base = normalizeFolderPath(parent);
  return base === "/" ? `/${name}` : `${base}/${name}`;
}

export const folderNameShape = /^[a-zA-Z0-9_-]+$/;
