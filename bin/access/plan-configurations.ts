// `keybridge plan` on two Terraform configurations: their access graphs compared.
import { basename, resolve } from "node:path";
import { diffAccess } from "../../policy/access/diff.ts";
import { renderAccessPlanJson, renderAccessPlanMarkdown, renderAccessPlanText } from "../../policy/access/render-plan.ts";
import { atLeast, type Level } from "../../policy/risk/level.ts";
import { loadAccessGraph } from "./load-graph.ts";

export interface AccessPlanRequest {
  readonly base: string | undefined;
  readonly head: string;
  readonly format: string;
  readonly failOn: Level | undefined;
  readonly stack: string | undefined;
  readonly write: (text: string) => void;
}

export async function accessPlanCommand(request: AccessPlanRequest): Promise<number> {
  const inputs = { vars: [], varFiles: [] };
  const base = request.base === undefined ? undefined : await loadAccessGraph(request.base, inputs, "--base");
  const head = await loadAccessGraph(request.head, inputs, "--head");
  for (const warning of [...(base?.warnings ?? []), ...head.warnings, ...(base?.graph.problems ?? []), ...head.graph.problems]) process.stderr.write(`keybridge plan: warning: ${warning}\n`);
  const plan = diffAccess(base?.graph, head.graph);
  const stack = request.stack ?? basename(resolve(request.head));
  if (request.format === "json") request.write(renderAccessPlanJson(plan));
  else if (request.format === "markdown") request.write(renderAccessPlanMarkdown(plan, { marker: stack, title: `Secret access plan for ${stack}` }));
  else request.write(renderAccessPlanText(plan));
  return request.failOn !== undefined && plan.broken.some((finding) => atLeast(finding.level, request.failOn!)) ? 2 : 0;
}
