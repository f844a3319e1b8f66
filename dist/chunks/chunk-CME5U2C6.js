const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
var e={backend:"backend",url:"url",namespace:"namespace",token:"token",cleanupPaths:"cleanup-paths"};export{e as a};
