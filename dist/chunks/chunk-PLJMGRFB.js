const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{b as o}from"./chunk-GD4G6U3R.js";var s=o((t,e)=>{e.exports=process.getBuiltinModule("node:fs")});export{s as a};
