const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{b as o}from"./chunk-GD4G6U3R.js";var t=o((p,e)=>{e.exports=process.getBuiltinModule("node:crypto")});export{t as a};
