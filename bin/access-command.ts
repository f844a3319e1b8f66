// `keybridge access`: who can reach a path, or what a job can reach, from a policy document or a
// Terraform configuration, without a backend.
import { parseArgs } from "node:util";
import { AccessQuery } from "../policy/access/query.ts";
import { parseJobClaims, JobClaimsError } from "../policy/access/job-claims.ts";
import { renderReach, renderWhoCan, type AccessFormat } from "../policy/access/render.ts";
import type { AccessCapability } from "../policy/access/graph.ts";
import { loadAccessGraph } from "./access/load-graph.ts";
import { UsageError } from "./usage-error.ts";

export const accessHelp = `Usage: keybridge access [--from PATH] (--path API_PATH | --as CLAIMS) [flags]

Reads a policy document (keybridge.policy.json, a stack or synth output directory) or a
Terraform configuration (a directory of .tf/.tf.json files, or files) into an access graph, and
answers one question:

  --path secret/data/ml/prod/db      who can read, list, write or delete it, through which role,
                                     policy and rule, with the token's lifetime
  --as repository=acme/x,ref=refs/heads/feature,event=pull_request
                                     which roles a job with these claims logs in to, and what
                                     they reach (sub, repository_owner and ref_type are derived
                                     as GitHub does; without aud the audience is not checked)

Flags:
  --from PATH          the configuration (default: the current directory)
  --can CAPS           with --path: only these capabilities, comma-separated (read,list,write,delete)
  --format F           table (default), json or mermaid
  --var NAME=VALUE     a Terraform input variable (repeatable); --var-file FILE likewise
`;

const capabilityNames: readonly AccessCapability[] = ["read", "list", "write", "delete"];

export async function accessCommand(argv: readonly string[], write = (text: string) => process.stdout.write(text)): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      from: { type: "string" }, path: { type: "string" }, as: { type: "string" }, can: { type: "string" }, format: { type: "string" },
      var: { type: "string", multiple: true }, "var-file": { type: "string", multiple: true },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; see keybridge access --help`);
  if ((values.path === undefined) === (values.as === undefined)) throw new UsageError("give exactly one of --path or --as; see keybridge access --help");
  const format = (values.format ?? "table") as AccessFormat;
  if (!["table", "json", "mermaid"].includes(format)) throw new UsageError(`--format ${format} is not supported; use table, json or mermaid`);
  const wanted = values.can ? values.can.split(",").map((item) => item.trim()) : [...capabilityNames];
  const unknown = wanted.filter((item) => !(capabilityNames as readonly string[]).includes(item));
  if (unknown.length > 0) throw new UsageError(`--can ${unknown.join(",")} is not a capability; use ${capabilityNames.join(", ")}`);

  const { graph, warnings } = await loadAccessGraph(values.from ?? ".", { vars: values.var ?? [], varFiles: values["var-file"] ?? [] });
  for (const warning of [...warnings, ...graph.problems]) process.stderr.write(`keybridge access: warning: ${warning}\n`);
  const query = new AccessQuery(graph);
  if (values.path !== undefined) {
    write(renderWhoCan(values.path, query.whoCan(values.path, wanted as AccessCapability[]), format));
    return 0;
  }
  let claims: Record<string, string>;
  try {
    claims = parseJobClaims(values.as!);
  } catch (error) {
    if (error instanceof JobClaimsError) throw new UsageError(`--as: ${error.message}`);
    throw error;
  }
  const reach = query.rolesFor(claims).map((role) => ({ role, access: query.reach(role), rules: query.rules(role) }));
  write(renderReach(claims, reach, format));
  return 0;
}
