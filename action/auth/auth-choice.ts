// How a step logs in, decided from its inputs before anything is sent: one variant per auth
// method. Each method's login lives in its own file beside this one.

/** A JWT the Action signs itself (vault-action's jwtPrivateKey), instead of the job's OIDC token. */
export interface SigningKey {
  /** PEM text of an RSA private key, possibly encrypted. */
  readonly privateKeyPem: string;
  readonly passphrase: string | undefined;
  readonly ttlSeconds: number;
}

export type VaultAuth =
  | { readonly method: "jwt"; readonly mount: string; readonly role: string | undefined; readonly audience: string | undefined; readonly signingKey: SigningKey | undefined }
  | { readonly method: "token"; readonly token: string }
  | { readonly method: "approle"; readonly mount: string; readonly roleId: string; readonly secretId: string | undefined }
  | { readonly method: "kubernetes"; readonly mount: string; readonly role: string; readonly tokenPath: string }
  | { readonly method: "userpass" | "ldap"; readonly mount: string; readonly username: string; readonly password: string }
  | { readonly method: "github"; readonly mount: string; readonly githubToken: string }
  /** Any other auth method: vault-action's authPayload posted as it is. */
  | { readonly method: "custom"; readonly name: string; readonly mount: string; readonly payload: Readonly<Record<string, unknown>> };

export type InfisicalAuth =
  | { readonly method: "oidc"; readonly identityId: string; readonly audience: string | undefined }
  | { readonly method: "universal"; readonly clientId: string; readonly clientSecret: string }
  | { readonly method: "token"; readonly token: string };

export type AuthChoice = VaultAuth | InfisicalAuth;

/** True when the login trades the job's GitHub OIDC token (which needs id-token: write). */
export function usesJobOidcToken(auth: AuthChoice): boolean {
  return (auth.method === "jwt" && auth.signingKey === undefined) || auth.method === "oidc";
}
