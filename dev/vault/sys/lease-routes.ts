// sys/leases: renew, look up, list and revoke the leases of dynamic secrets, with Vault's paths
// (the lease id in the body or in the URL, and the older sys/renew, sys/revoke, sys/revoke-prefix)
// and Vault's ACL: the default policy grants renew and lookup; listing and revoking by prefix need
// sudo, as they are root-protected in Vault.
import * as z from "zod";
import type { Route, RequestContext } from "../core/backend.ts";
import { badRequest } from "../core/errors.ts";
import { parseFields, vaultBool, vaultDuration } from "../core/fields.ts";
import type { LeaseStore } from "./leases.ts";
import type { TokenStore } from "../token/token-store.ts";

// hvac sends `"increment": null` when none is given.
const renewFields = z.object({ lease_id: z.string().nullish(), increment: vaultDuration.nullish() });
const leaseFields = z.object({ lease_id: z.string().nullish(), sync: vaultBool.nullish() });
const prefixFields = z.object({ prefix: z.string().nullish(), sync: vaultBool.nullish() });

export function sysLeaseRoutes(leases: LeaseStore, tokens: TokenStore): Route[] {
  /** The lease id from the URL (sys/leases/renew/<id>) or else from the body. */
  function leaseId(request: RequestContext, fromBody: string | null | undefined): string {
    const id = request.params.id ?? fromBody ?? "";
    if (id === "") throw badRequest("lease_id must be specified");
    return id;
  }

  function renew(request: RequestContext) {
    const fields = parseFields(renewFields, request.data, request.warn);
    const renewed = leases.renew(request.namespace, leaseId(request, fields.lease_id), fields.increment ?? 0);
    return { leaseId: renewed.id, renewable: renewed.renewable, leaseDuration: renewed.ttl, warnings: renewed.warnings };
  }

  function revoke(request: RequestContext): undefined {
    const fields = parseFields(leaseFields, request.data, request.warn);
    leases.revoke(request.namespace, leaseId(request, fields.lease_id));
    return undefined;
  }

  /** Leases under the prefix, and tokens whose login path is under it ("auth/approle/"). */
  function revokePrefix(request: RequestContext): undefined {
    parseFields(prefixFields, request.data, request.warn);
    const prefix = request.params.prefix!;
    leases.revokePrefix(request.namespace, prefix);
    tokens.revokeByPathPrefix(request.namespace, prefix);
    return undefined;
  }

  return [
    { pattern: /^(?:leases\/)?renew$/, write: renew },
    { pattern: /^(?:leases\/)?renew\/(?<id>.+)$/, write: renew },
    {
      pattern: /^leases\/lookup$/,
      write: (request) => {
        const fields = parseFields(leaseFields, request.data, request.warn);
        const data = leases.lookup(request.namespace, leaseId(request, fields.lease_id));
        if (!data) throw badRequest("invalid lease");
        return { data };
      },
    },
    { pattern: /^leases\/lookup\/(?<prefix>.*)$/, sudo: true, list: (request) => ({ data: leases.list(request.namespace, request.params.prefix!) }) },
    { pattern: /^(?:leases\/)?revoke$/, write: revoke },
    { pattern: /^(?:leases\/)?revoke\/(?<id>.+)$/, write: revoke },
    { pattern: /^(?:leases\/)?revoke-(?:prefix|force)\/(?<prefix>.+)$/, sudo: true, write: revokePrefix },
  ];
}
