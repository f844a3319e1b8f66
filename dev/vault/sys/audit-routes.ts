// sys/audit (enable, list, disable audit devices; root-protected as in Vault) and
// sys/audit-hash/<device>, which tells what HMAC a value has in that device's log.
import * as z from "zod";
import type { Route, RequestContext } from "../core/backend.ts";
import { badRequest } from "../core/errors.ts";
import { parseFields } from "../core/fields.ts";
import type { AuditLog } from "./audit-log.ts";

const enableFields = z.object({
  type: z.string().optional(),
  description: z.string().optional(),
  options: z.record(z.string(), z.string()).optional(),
  local: z.unknown().optional(),
});

const hashFields = z.object({ input: z.string().optional() });

const devicePath = (request: RequestContext): string => `${request.params.path!.replace(/^\/+|\/+$/g, "")}/`;

export function sysAuditRoutes(audit: AuditLog): Route[] {
  return [
    { pattern: /^audit$/, rootNamespaceOnly: true, sudo: true, read: () => ({ data: audit.list() }) },
    {
      pattern: /^audit\/(?<path>.+)$/,
      rootNamespaceOnly: true,
      sudo: true,
      write: (request) => {
        const fields = parseFields(enableFields, request.data, request.warn);
        const path = devicePath(request);
        if (audit.has(path)) throw badRequest("path already in use");
        if (fields.type !== "file") {
          throw badRequest(`audit device type ${JSON.stringify(fields.type ?? "")} is not supported by keybridge dev: use "file"`);
        }
        const filePath = fields.options?.file_path ?? "";
        if (filePath === "") throw badRequest("file_path is required");
        try {
          audit.enableFile(path, filePath, fields.description ?? "");
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === undefined) throw error;
          throw badRequest(`sanity check failed; unable to open "${filePath}": ${code}`);
        }
        return undefined;
      },
      delete: (request) => {
        audit.disable(devicePath(request));
        return undefined;
      },
    },
    {
      pattern: /^audit-hash\/(?<path>.+)$/,
      rootNamespaceOnly: true,
      write: (request) => {
        const { input } = parseFields(hashFields, request.data, request.warn);
        if (!audit.has(devicePath(request))) throw badRequest("unknown audit backend");
        return { data: { hash: audit.hmac(input ?? "") } };
      },
    },
  ];
}
