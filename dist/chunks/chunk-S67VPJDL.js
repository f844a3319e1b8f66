const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{b as o}from"./chunk-GD4G6U3R.js";var r=o((s,e)=>{e.exports=process.getBuiltinModule("node:buffer")});export{r as a};
