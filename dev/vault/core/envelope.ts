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
  /**
   * `JSON.stringify(data)`, when the handler keeps it already (a KV read's text per secret
   * version): the envelope splices it in instead of serializing `data` again.
   */
  readonly dataJson?: string;
}

export interface RawBody {
  readonly contentType: string;
  readonly text: string;
}

/**
 * Vault's success envelope as JSON (request_id, lease_id, renewable, lease_duration, data,
 * wrap_info, warnings, auth, mount_type, in that order), written directly: the fixed keys are text
 * already, and `result.dataJson` (when the handler has it) is used for `data`. The envelope is
 * answered on every request: no object is built to be serialized.
 */
export function successJson(requestId: string, result: VaultResult, mountType: string): string {
  const data = result.dataJson ?? JSON.stringify(result.data ?? null);
  const warnings = result.warnings && result.warnings.length > 0 ? JSON.stringify(result.warnings) : "null";
  const auth = result.auth ? JSON.stringify(result.auth) : "null";
  return (
    `{"request_id":${JSON.stringify(requestId)},"lease_id":${JSON.stringify(result.leaseId ?? "")},"renewable":${JSON.stringify(result.renewable ?? false)},` +
    `"lease_duration":${JSON.stringify(result.leaseDuration ?? 0)},"data":${data},"wrap_info":null,"warnings":${warnings},"auth":${auth},"mount_type":${JSON.stringify(mountType)}}`
  );
}

export function errorBody(errors: readonly string[]): { errors: readonly string[] } {
  return { errors };
}
