// The infisical_* resource types `keybridge dev --terraform` can apply.
import type { Applier } from "../../applier.ts";
import { infisicalProjectApplier } from "./project.ts";
import { infisicalProjectEnvironmentApplier } from "./project-environment.ts";
import { infisicalSecretFolderApplier } from "./secret-folder.ts";
import { infisicalSecretApplier } from "./secret.ts";
import { infisicalSecretImportApplier } from "./secret-import.ts";
import { infisicalIdentityApplier } from "./identity.ts";
import { infisicalIdentityOidcAuthApplier } from "./identity-oidc-auth.ts";
import { infisicalIdentityKubernetesAuthApplier } from "./identity-kubernetes-auth.ts";
import { infisicalIdentityAwsAuthApplier } from "./identity-aws-auth.ts";
import { infisicalIdentityUniversalAuthApplier } from "./identity-universal-auth.ts";
import { infisicalIdentityUniversalAuthClientSecretApplier } from "./identity-universal-auth-client-secret.ts";
import { infisicalProjectRoleApplier } from "./project-role.ts";
import { infisicalProjectIdentityApplier } from "./project-identity.ts";
import { infisicalProjectGroupApplier } from "./project-group.ts";

export const infisicalAppliers: readonly Applier[] = [
  infisicalProjectApplier,
  infisicalProjectEnvironmentApplier,
  infisicalSecretFolderApplier,
  infisicalSecretApplier,
  infisicalSecretImportApplier,
  infisicalIdentityApplier,
  infisicalIdentityOidcAuthApplier,
  infisicalIdentityKubernetesAuthApplier,
  infisicalIdentityAwsAuthApplier,
  infisicalIdentityUniversalAuthApplier,
  infisicalIdentityUniversalAuthClientSecretApplier,
  infisicalProjectRoleApplier,
  infisicalProjectIdentityApplier,
  infisicalProjectGroupApplier,
];
