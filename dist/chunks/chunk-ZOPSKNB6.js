import { createRequire as __kbRequire } from 'node:module'; const require = __kbRequire(import.meta.url);
var e={backend:"backend",url:"url",namespace:"namespace",token:"token",cleanupPaths:"cleanup-paths"};export{e as a};
