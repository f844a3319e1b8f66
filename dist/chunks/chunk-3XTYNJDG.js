const require = (() => { let made; const real = () => (made ??= process.getBuiltinModule('node:module').createRequire(import.meta.url)); return Object.assign((id) => real()(id), { resolve: (id, options) => real().resolve(id, options) }); })();
var r=class extends Error{constructor(c,o,n){super(o,n);this.code=c;this.name=new.target.name}};var s=/^(?!KB_[A-Z0-9_]+: )/gm;function i(e){return e instanceof r?e.message.replace(s,`${e.code}: `):`KB_INTERNAL: unexpected error: ${(e instanceof Error?e.message:String(e)).split(`
`)[0]}`}export{r as a,i as b};
