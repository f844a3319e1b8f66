const require = (() => { let made; const real = () => (made ??= process.getBuiltinModule('node:module').createRequire(import.meta.url)); return Object.assign((id) => real()(id), { resolve: (id, options) => real().resolve(id, options) }); })();
import{b as o}from"./chunk-PXOPWON7.js";var t=o((n,e)=>{e.exports=process.getBuiltinModule("node:net")});export{t as a};
