// ESM resolve hook: every import of "cdktf" gets the maintained fork "cdktn" instead.
export async function resolve(specifier, context, next) {
  return next(/^cdktf(\/|$)/.test(specifier) ? specifier.replace(/^cdktf/, "cdktn") : specifier, context);
}
