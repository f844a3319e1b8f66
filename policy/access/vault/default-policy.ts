// Vault attaches its `default` policy to every token unless a role says token_no_default_policy.
import type { NamedPolicy } from "./acl.ts";

/** Vault's built-in `default` policy as far as it touches paths: the token's own endpoints. */
export const builtInDefault: NamedPolicy = {
  name: "default",
  rules: [
    { pattern: "auth/token/lookup-self", capabilities: ["read"] },
    { pattern: "auth/token/renew-self", capabilities: ["update"] },
    { pattern: "auth/token/revoke-self", capabilities: ["update"] },
    { pattern: "sys/capabilities-self", capabilities: ["update"] },
    { pattern: "cubbyhole/*", capabilities: ["create", "read", "update", "delete", "list"] },
  ],
};
