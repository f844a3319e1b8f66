// Preload (--import) that makes this process look like a project with cdktn installed and cdktf
// not: importing or requiring "cdktf" fails as it does when the package is absent.
import Module, { register } from "node:module";

register("./hide-cdktf-hooks.mjs", import.meta.url);

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (!/^cdktf(\/|$)/.test(request)) return resolveFilename.call(this, request, ...rest);
  const error = new Error(`Cannot find module '${request}'`);
  error.code = "MODULE_NOT_FOUND";
  throw error;
};
