// Preload (--import) that swaps cdktf for cdktn in this process: ESM imports through a resolve
// hook, and CommonJS require() (the prebuilt Vault bindings require "cdktf") through the resolver.
import Module, { register } from "node:module";

register("./cdktn-resolve-hooks.mjs", import.meta.url);

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, /^cdktf(\/|$)/.test(request) ? request.replace(/^cdktf/, "cdktn") : request, ...rest);
};
