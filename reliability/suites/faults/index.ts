// Faults: the committed Action bundle against a dev backend behind a fault-injecting proxy. Each
// fault passes (transient) or stays (permanent) on the OIDC token request, the login, a read or the
// post step's revoke. Transient: success within the retry budget, everything exported. Permanent:
// exit 1 with one clear line within the timeout plus a margin, nothing exported, and post still
// revokes when it can and never fails the job.
import { launchDevBackend } from "../../../testkit/launch-dev-backend.ts";
import { configureDemo } from "../../../testkit/demo-setup.ts";
import { createTestCa } from "../../../testkit/test-ca.ts";
import type { Suite } from "../../report.ts";
import { budget, runScenario, type ScenarioResult, type Shared } from "./run-scenario.ts";
import { scenarios, type Scenario } from "./scenarios.ts";

/** Scenarios run side by side: most of their time is spent waiting on timeouts and backoff. */
const parallel = { quick: 5, full: 4 } as const;

/** A rough length, so that the slowest scenarios start first and the pool drains evenly. */
function expectedSeconds(scenario: Scenario): number {
  if (scenario.where === "revoke") return scenario.fault === "stall" ? (scenario.variant === "permanent" ? 20 : 7) : 1;
  if (scenario.fault === "stall" || scenario.fault === "trickle") return scenario.variant === "permanent" ? 6 : 2.5;
  if (scenario.fault === "429") return scenario.variant === "permanent" ? 4 : 2;
  return scenario.variant === "permanent" ? 2 : 1;
}

async function runPool(list: readonly Scenario[], width: number, shared: Shared, onDone: (result: ScenarioResult) => void): Promise<ScenarioResult[]> {
  const order = list.map((scenario, index) => ({ scenario, index })).sort((a, b) => expectedSeconds(b.scenario) - expectedSeconds(a.scenario));
  const results: ScenarioResult[] = new Array(list.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < order.length) {
      const { scenario, index } = order[next++]!;
      const result = await runScenario(scenario, shared);
      results[index] = result;
      onDone(result);
    }
  }
  await Promise.all(Array.from({ length: Math.min(width, order.length) }, () => worker()));
  return results;
}

function longest(results: readonly ScenarioResult[], pick: (result: ScenarioResult) => number | undefined): { ms: number; tried: string } | undefined {
  let best: { ms: number; tried: string } | undefined;
  for (const result of results) {
    const value = pick(result);
    if (value !== undefined && (!best || value > best.ms)) best = { ms: value, tried: result.attempt.tried };
  }
  return best;
}

const format = (value: number): string => `${Math.round(value).toLocaleString("en-US")} ms`;

export const faults: Suite = async ({ quick, log }) => {
  const started = performance.now();
  const list = scenarios().filter((scenario) => !quick || scenario.quick);
  const ca = createTestCa(["127.0.0.1", "localhost"]);
  let backend: Awaited<ReturnType<typeof launchDevBackend>> | undefined;
  try {
    backend = await launchDevBackend();
    const secrets = await configureDemo({ addr: backend.info.vault.addr, token: backend.info.vault.rootToken });
    const width = quick ? parallel.quick : parallel.full;
    log(`${list.length} scenarios, ${width} at a time; timeout ${budget.timeoutSeconds} s, retries ${budget.retries}`);
    const results = await runPool(list, width, { backend, secrets, ca }, (result) => {
      const { attempt } = result;
      const outcome = attempt.held ? ` — ${attempt.outcome.length > 150 ? `${attempt.outcome.slice(0, 150)}…` : attempt.outcome}` : "";
      log(`${attempt.held ? "held " : "BROKE"} ${attempt.tried}: ${attempt.details?.["elapsed (ms)"]} ms, exit ${attempt.details?.["exit code"]}${outcome}`);
    });

    const mainFailures = results.filter((result) => result.scenario.variant === "permanent" && result.scenario.where !== "revoke");
    const mainSuccesses = results.filter((result) => result.scenario.variant !== "permanent" && result.scenario.where !== "revoke");
    const slowestFailure = longest(mainFailures, (result) => result.mainElapsedMs);
    const slowestSuccess = longest(mainSuccesses, (result) => result.mainElapsedMs);
    const slowestPost = longest(results, (result) => result.postElapsedMs);
    const dnsAnswers = [...new Set(results.filter((result) => result.scenario.fault === "dns")
      .flatMap((result) => /\((ENOTFOUND|EAI_AGAIN)\)/.exec(result.attempt.outcome)?.[1] ?? []))];
    const timeoutMs = budget.timeoutSeconds * 1000;
    const figures: Record<string, string> = {
      "budget": `timeout ${budget.timeoutSeconds} s (each attempt at most ${Math.max(1, Math.floor(budget.timeoutSeconds / 3))} s), retries ${budget.retries}; main is held to the timeout + ${budget.marginMs / 1000} s margin (process start, bundle load, runner files), post to its own ${budget.postBudgetMs / 1000} s + ${budget.marginMs / 1000} s`,
      "longest permanent failure": slowestFailure ? `${format(slowestFailure.ms)} (${slowestFailure.tried}) vs the ${format(timeoutMs)} timeout (${((slowestFailure.ms / timeoutMs) * 100).toFixed(0)} %)` : "none run",
      "longest transient success": slowestSuccess ? `${format(slowestSuccess.ms)} (${slowestSuccess.tried})` : "none run",
      "longest post step": slowestPost ? `${format(slowestPost.ms)} (${slowestPost.tried}) vs its ${format(budget.postBudgetMs)} budget` : "none run",
      "scenarios": `${results.length}, ${width} at a time, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    };
    if (dnsAnswers.length > 0) figures["DNS answer for .invalid"] = dnsAnswers.join(", ");
    return {
      name: "Faults",
      about: "The committed Action bundle (dist/main.js, dist/post.js) runs as a real step against `keybridge dev` behind a reverse proxy that injects faults per request, by path and attempt: 429 with Retry-After, 500/502/503, 412, a connection reset mid-body, a stalled answer, a trickle, truncated JSON; plus an unresolvable host and a TLS certificate from an unknown CA. Each strikes the OIDC token request (through a second proxy), the login, one of two reads, or the post step's revoke, transiently (the first N attempts) or for good. Transient faults must end in success within the retry budget with all secrets exported; permanent ones in exit 1 with one clear line within the timeout plus a margin, nothing in GITHUB_ENV, the outputs or RUNNER_TEMP; the post step must revoke the token whenever main logged in and the backend is reachable (checked with lookup-self → 403 on the backend directly), and exit 0 even when it is not.",
      attempts: results.map((result) => result.attempt),
      figures,
      notes: [
        `A failed read prints its line and then "Nothing was exported: 1 of 2 paths could not be read" (action/fetch.ts): the suite counts that summary as part of the one clear line, and only for reads.`,
        "An unresolvable host and an unknown CA have no transient variant (they do not get better with time); the unknown-CA control run gives the same proxy's CA as ca-certificate and must succeed, so the failure is the trust and nothing else.",
        "The .invalid name is looked up through the machine's resolver, the only request of the suite that leaves 127.0.0.1; depending on the resolver it answers ENOTFOUND (not retried) or EAI_AGAIN (retried within the budget), and both are accepted.",
        "A reset or truncated answer to a login is forwarded from the backend first, so the backend issued a token the Action never received; it cannot be revoked and lives out its TTL (10 min for the demo role). The same holds for Vault behind any proxy that drops answers.",
        "Faults come from a reverse proxy at the `url` input; a forward proxy (HTTPS_PROXY, CONNECT tunnel) breaking the tunnel is not covered here.",
        `Elapsed times are wall times of the whole step process with ${parallel.full} scenarios at a time (${parallel.quick} in the quick form), so they include Node's start and some CPU contention.`,
      ],
    };
  } finally {
    await backend?.stop();
    ca.dispose();
  }
};
