const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
var e={backend:"backend",url:"url",namespace:"namespace",token:"token",cleanupPaths:"cleanup-paths",workspaceFiles:"workspace-files",connection:"connection"};export{e as a};
