// Every resource type and data source `keybridge dev --terraform` can apply, by kind and type.
import type { Applier } from "../applier.ts";
import { mountApplier } from "./mount.ts";
import { authBackendApplier } from "./auth-backend.ts";
import { jwtAuthBackendApplier } from "./jwt-auth-backend.ts";
import { jwtAuthBackendRoleApplier } from "./jwt-auth-backend-role.ts";
import { policyApplier } from "./policy.ts";
import { kvSecretV2Applier } from "./kv-secret-v2.ts";
import { kvSecretApplier } from "./kv-secret.ts";
import { kvSecretBackendV2Applier } from "./kv-secret-backend-v2.ts";
import { genericEndpointApplier } from "./generic-endpoint.ts";
import { identityGroupApplier } from "./identity-group.ts";
import { identityGroupAliasApplier } from "./identity-group-alias.ts";
import { authBackendDataApplier } from "./data-auth-backend.ts";
import { policyDocumentDataApplier } from "./data-policy-document.ts";
import { approleAuthBackendRoleApplier } from "./approle-auth-backend-role.ts";
import { approleSecretIdApplier } from "./approle-auth-backend-role-secret-id.ts";
import { approleRoleIdDataApplier } from "./data-approle-role-id.ts";
import { databaseSecretsMountApplier } from "./database-secrets-mount.ts";
import { databaseConnectionApplier } from "./database-secret-backend-connection.ts";
import { databaseRoleApplier } from "./database-secret-backend-role.ts";
import { pkiRootCertApplier } from "./pki-secret-backend-root-cert.ts";
import { pkiRoleApplier } from "./pki-secret-backend-role.ts";
import { databaseStaticRoleApplier } from "./database-secret-backend-static-role.ts";
import { infisicalAppliers } from "./infisical/index.ts";
import { loginMethodAppliers } from "./login-methods.ts";

const all: readonly Applier[] = [
  mountApplier,
  authBackendApplier,
  jwtAuthBackendApplier,
  jwtAuthBackendRoleApplier,
  policyApplier,
  kvSecretV2Applier,
  kvSecretApplier,
  kvSecretBackendV2Applier,
  genericEndpointApplier,
  identityGroupApplier,
  identityGroupAliasApplier,
  authBackendDataApplier,
  policyDocumentDataApplier,
  approleAuthBackendRoleApplier,
  approleSecretIdApplier,
  approleRoleIdDataApplier,
  databaseSecretsMountApplier,
  databaseConnectionApplier,
  databaseRoleApplier,
  pkiRootCertApplier,
  pkiRoleApplier,
  databaseStaticRoleApplier,
  ...infisicalAppliers,
  ...loginMethodAppliers,
];

const byKey = new Map(all.map((applier) => [`${applier.kind}:${applier.type}`, applier]));

export function applierFor(kind: "resource" | "data", type: string): Applier | undefined {
  return byKey.get(`${kind}:${type}`);
}

export function supportedTypes(kind: "resource" | "data"): string[] {
  return all.filter((applier) => applier.kind === kind).map((applier) => applier.type);
}
