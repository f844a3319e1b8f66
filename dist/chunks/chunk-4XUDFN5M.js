const require = (() => { let made; const real = () => (made ??= process.getBuiltinModule('node:module').createRequire(import.meta.url)); return Object.assign((id) => real()(id), { resolve: (id, options) => real().resolve(id, options) }); })();
var n=["critical","high","medium","low","info"],l=e=>n.indexOf(e),o=(e,t)=>l(e)-l(t),r=(e,t)=>l(e)<=l(t);export{n as a,o as b,r as c};
