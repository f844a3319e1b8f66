// The appliers of the Kubernetes, GitHub and LDAP auth methods.
import type { Applier } from "../applier.ts";
import { kubernetesAuthBackendConfigApplier, kubernetesAuthBackendRoleApplier } from "./kubernetes-auth-backend.ts";
import { githubAuthBackendApplier, githubTeamApplier, githubUserApplier } from "./github-auth-backend.ts";
import { ldapAuthBackendApplier, ldapAuthBackendGroupApplier, ldapAuthBackendUserApplier } from "./ldap-auth-backend.ts";

export const loginMethodAppliers: readonly Applier[] = [
  kubernetesAuthBackendConfigApplier,
  kubernetesAuthBackendRoleApplier,
  githubAuthBackendApplier,
  githubUserApplier,
  githubTeamApplier,
  ldapAuthBackendApplier,
  ldapAuthBackendUserApplier,
  ldapAuthBackendGroupApplier,
];
