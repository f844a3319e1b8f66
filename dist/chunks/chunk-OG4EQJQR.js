import { createRequire as __kbRequire } from 'node:module'; const require = __kbRequire(import.meta.url);
function e(r){return r.replace(/%/g,"%25").replace(/\r/g,"%0D").replace(/\n/g,"%0A")}function g(r){return e(r).replace(/:/g,"%3A").replace(/,/g,"%2C")}function n(r,i,o={}){let t=Object.entries(o).map(([s,p])=>`${s}=${g(p)}`).join(",");process.stdout.write(`::${r}${t?` ${t}`:""}::${e(i)}
`)}function c(r){r!==""&&n("add-mask",r)}function a(r){process.stdout.write(`${r}
`)}function d(r){n("warning",r)}function u(r){n("error",r)}export{c as a,a as b,d as c,u as d};
