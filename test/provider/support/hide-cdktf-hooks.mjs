// ESM resolve hook: "cdktf" cannot be found, as in a project that installed only cdktn.
export async function resolve(specifier, context, next) {
  if (!/^cdktf(\/|$)/.test(specifier)) return next(specifier, context);
  const error = new Error(`Cannot find package '${specifier}' imported from ${context.parentURL}`);
  error.code = "ERR_MODULE_NOT_FOUND";
  throw error;
}
