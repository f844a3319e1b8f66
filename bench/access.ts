// The access graph at the size of a large platform: 1,000 roles, 1,000 policies, 10,000 declared
// paths. Measured: building the graph and answering both questions (who can reach a path; what a
// job reaches), and the plan of two such configurations. Floor, run alternately in the same
// process: one pass over the same resources that keys them by address and compares their
// attributes' JSON, the least any tool that looks at every resource must do.
import { AccessQuery } from "../policy/access/query.ts";
import { diffAccess } from "../policy/access/diff.ts";
import { vaultGraphFromTerraform, type ResourceInstance } from "../policy/access/vault/from-terraform.ts";
import { largeConfiguration } from "./access/configuration.ts";
import type { BenchContext } from "./lib/context.ts";
import { alternate, median, pairedRatio } from "./lib/stats.ts";
import type { Row } from "./lib/report.ts";

const size = { roles: 1_000, paths: 10_000 };

function floor(base: readonly ResourceInstance[], head: readonly ResourceInstance[]): number {
  const keyed = new Map(base.map((instance) => [instance.address, JSON.stringify(instance.attributes)]));
  let changed = 0;
  for (const instance of head) if (keyed.get(instance.address) !== JSON.stringify(instance.attributes)) changed += 1;
  return changed;
}

function buildAndAsk(instances: readonly ResourceInstance[]): number {
  const query = new AccessQuery(vaultGraphFromTerraform(instances));
  const who = query.whoCan("secret/data/team-3/prod/app-3/secret-3003");
  const roles = query.rolesFor({ repository: "acme/app-3", ref: "refs/heads/main", aud: "https://github.com/acme" });
  return who.length + roles.flatMap((role) => query.reach(role)).length;
}

export async function benchAccess(context: BenchContext): Promise<{ rows: Row[] }> {
  const scale = context.quick ? 0.1 : 1;
  const roles = size.roles * scale;
  const paths = size.paths * scale;
  const base = largeConfiguration(roles, paths);
  const head = largeConfiguration(roles, paths, true);
  const runs = context.quick ? 3 : 5;
  const timed = (work: () => number) => async () => {
    const started = performance.now();
    if (work() < 0) throw new Error("unreachable");
    return performance.now() - started;
  };
  context.log(`access: graph of ${roles} roles and ${paths} paths`);
  const ask = await alternate({ warmups: 1, runs }, timed(() => floor(base, base)), timed(() => buildAndAsk(head)));
  if (buildAndAsk(head) === 0) context.functionalErrors.push("the access graph found nobody who can reach a declared path");
  context.log("access: plan of two configurations");
  let gained = 0;
  const plan = await alternate({ warmups: 1, runs }, timed(() => floor(base, head)), timed(() => (gained = diffAccess(vaultGraphFromTerraform(base), vaultGraphFromTerraform(head)).gained.length)));
  if (gained === 0) context.functionalErrors.push("the access plan of a widened configuration gained nothing");
  const label = `${roles.toLocaleString("en-US")} roles and policies, ${paths.toLocaleString("en-US")} paths`;
  const row = (id: string, scenario: string, samples: { measured: number[]; floor: number[] }, targetMs: number): Row => {
    const measured = median(samples.measured);
    const met = measured < targetMs;
    return {
      id,
      section: "Access graph",
      scenario,
      measured: { value: measured, unit: "ms" },
      floor: { value: median(samples.floor), unit: "ms", what: "one keyed pass comparing every resource's attributes" },
      ratio: pairedRatio(samples.measured, samples.floor),
      ...(context.quick ? {} : { target: { text: `< ${targetMs / 1000} s`, met, ...(met ? {} : { missedBy: `${measured.toFixed(0)} ms against ${targetMs} ms` }) } }),
      details: { samplesMs: samples.measured, floorSamplesMs: samples.floor },
    };
  };
  return {
    rows: [
      row("access.graph", `build the graph and answer both queries, ${label}`, ask, 1_000),
      row("access.plan", `plan of two configurations, ${label}`, plan, 2_000),
    ],
  };
}
