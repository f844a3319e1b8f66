// Vault's response bodies: the success envelope every logical endpoint answers with, the `auth`
// block of logins and token creation, and the error body.

export interface AuthBlock {
  readonly client_token: string;
  readonly accessor: string;
  readonly policies: readonly string[];
  readonly token_policies: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
  readonly lease_duration: number;
  readonly renewable: boolean;
  readonly entity_id: string;
  readonly token_type: "service";
  readonly orphan: boolean;
  readonly mfa_requirement: null;
  readonly num_uses: number;
}

/** What a handler answers. `undefined` from a handler means "nothing": 404 for reads, lists and patches, 204 otherwise. */
export interface VaultResult {
  readonly status?: number;
  readonly data?: unknown;
  readonly auth?: AuthBlock;
  readonly leaseDuration?: number;
  /** Dynamic secrets and lease renewals: the lease they belong to. */
  readonly leaseId?: string;
  readonly renewable?: boolean;
  readonly warnings?: readonly string[];
  /** A body sent as it is instead of the JSON envelope (pki/ca/pem answers with the PEM itself). */
  readonly raw?: RawBody;
}

export interface RawBody {
  readonly contentType: string;
  readonly text: string;
}

export function successBody(requestId: string, result: VaultResult, mountType: string): Record<string, unknown> {
  return {
    request_id: requestId,
    lease_id: result.leaseId ?? "",
    renewable: result.renewable ?? false,
    lease_duration: result.leaseDuration ?? 0,
    data: result.data ?? null,
    wrap_info: null,
    warnings: result.warnings && result.warnings.length > 0 ? result.warnings : null,
    auth: result.auth ?? null,
    mount_type: mountType,
  };
}

export function errorBody(errors: readonly string[]): { errors: readonly string[] } {
  return { errors };
}
