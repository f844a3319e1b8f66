const require = (() => { let made; const real = () => (made ??= process.getBuiltinModule('node:module').createRequire(import.meta.url)); return Object.assign((id) => real()(id), { resolve: (id, options) => real().resolve(id, options) }); })();
import{b as e}from"./chunk-Y6A5DQ3X.js";function i(r){return r.replace(/%/g,"%25").replace(/\r/g,"%0D").replace(/\n/g,"%0A")}function c(r){return i(r).replace(/:/g,"%3A").replace(/,/g,"%2C")}function n(r,o,s={}){let t=Object.entries(s).map(([p,g])=>`${p}=${c(g)}`).join(",");process.stdout.write(`::${r}${t?` ${t}`:""}::${i(o)}
`)}function d(r){r!==""&&n("add-mask",r)}function u(r){process.stdout.write(`${e(r)}
`)}function f(r){n("warning",r)}function m(r){n("error",r)}export{d as a,u as b,f as c,m as d};
