import { createRequire as __kbRequire } from 'node:module'; const require = __kbRequire(import.meta.url);
import{d as o}from"./chunk-EINDHVKQ.js";import{appendFileSync as p}from"node:fs";import{randomUUID as u}from"node:crypto";function d(t,n,r=`ghadelimiter_${u()}`){if(t.includes(r)||n.includes(r))throw new o("KB_EXPORT_FAILED",`the value of ${t} contains the file-command delimiter; it cannot be exported safely`);return`${t}<<${r}
${n}
${r}
`}function i(t,n,r){let e=process.env[t];if(!e)throw new o("KB_NOT_ON_RUNNER",`${t} is not set: run Keybridge as a step of a GitHub Actions job (or through dev/runner locally)`);p(e,d(n,r),{encoding:"utf8"})}function x(t,n){i("GITHUB_ENV",t,n)}function U(t,n){i("GITHUB_OUTPUT",t,n)}function _(t,n){i("GITHUB_STATE",t,n)}function $(t){return process.env[`STATE_${t}`]??""}function v(t){let n=process.env.GITHUB_STEP_SUMMARY;n&&p(n,t.endsWith(`
`)?t:`${t}
`,{encoding:"utf8"})}function I(t){return(process.env[`INPUT_${t.replace(/ /g,"_").toUpperCase()}`]??"").trim()}function g(t){return t.replace(/%/g,"%25").replace(/\r/g,"%0D").replace(/\n/g,"%0A")}function f(t){return g(t).replace(/:/g,"%3A").replace(/,/g,"%2C")}function s(t,n,r={}){let e=Object.entries(r).map(([c,a])=>`${c}=${f(a)}`).join(",");process.stdout.write(`::${t}${e?` ${e}`:""}::${g(n)}
`)}function y(t){t!==""&&s("add-mask",t)}function E(t){process.stdout.write(`${t}
`)}function b(t){s("warning",t)}function B(t){s("error",t)}export{x as a,U as b,_ as c,$ as d,v as e,I as f,y as g,E as h,b as i,B as j};
