import { createRequire as __kbRequire } from 'node:module'; const require = __kbRequire(import.meta.url);
import{d as r}from"./chunk-WA2JWLHC.js";import{appendFileSync as s}from"node:fs";import{randomUUID as p}from"node:crypto";function g(t,n,e=`ghadelimiter_${p()}`){if(t.includes(e)||n.includes(e))throw new r("KB_EXPORT_FAILED",`the value of ${t} contains the file-command delimiter; it cannot be exported safely`);return`${t}<<${e}
${n}
${e}
`}function o(t,n,e){let i=process.env[t];if(!i)throw new r("KB_NOT_ON_RUNNER",`${t} is not set: run Keybridge as a step of a GitHub Actions job (or through dev/runner locally)`);s(i,g(n,e),{encoding:"utf8"})}function f(t,n){o("GITHUB_ENV",t,n)}function T(t,n){o("GITHUB_OUTPUT",t,n)}function d(t,n){o("GITHUB_STATE",t,n)}function U(t){return process.env[`STATE_${t}`]??""}function _(t){let n=process.env.GITHUB_STEP_SUMMARY;n&&s(n,t.endsWith(`
`)?t:`${t}
`,{encoding:"utf8"})}function m(t){return(process.env[`INPUT_${t.replace(/ /g,"_").toUpperCase()}`]??"").trim()}export{f as a,T as b,d as c,U as d,_ as e,m as f};
