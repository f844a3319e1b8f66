// A backend target turns the declarations into that backend's Terraform resources. The platform
// calls it as things are declared; the policy document is the same whatever the target.
import type { Construct } from "../cdk.ts";
import type { PolicyDocument, Grant as GrantDocument, Secret as SecretDocument } from "../../policy/document.ts";

export interface TargetContext {
  /** Where backend-wide resources go (the platform construct). */
  readonly scope: Construct;
  /** GitHub's OIDC issuer URL. */
  readonly issuerUrl: string;
}

export interface BoundTarget {
  readonly document: PolicyDocument["backend"];
  /** A project was declared (before its environments, secrets and grants). */
  addProject(scope: Construct, project: string): void;
  /** An environment of a project was declared. */
  addEnvironment(scope: Construct, project: string, environment: { readonly name: string; readonly protected: boolean }): void;
  /** A secret exists in an environment: declare what the backend keeps about it (metadata). */
  addSecret(scope: Construct, project: string, environment: string, secret: SecretDocument): void;
  /** Declare the access: roles, policies, identity groups, and the outputs CI authors read. */
  addGrant(scope: Construct, project: string, grant: GrantDocument): void;
}

export interface IBackendTarget {
  bind(context: TargetContext): BoundTarget;
}
