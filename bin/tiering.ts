// V8 tiering for a short command. A cold `keybridge plan` runs each of its functions a few
// thousand times and exits. At V8's default interrupt budget (67,584) the optimizing compiler
// starts on them early: for 10,000 changed grants, about 250 compiles taking some 560 ms on a
// background thread during a 500 ms run, competing with the command for the machine's cores.
// With a larger budget, only what stays hot is compiled. Node 20, alternating cold runs:
// - `keybridge plan --format markdown`: 300,000 made 1,000 changed grants 17% faster than the
//   default, 10,000 19%, 40,000 2%. Once the plan's own work got cheaper, 500,000 made 10,000 a
//   further 3% faster and 40,000 4%, with 1,000 and one change among 8,000 unchanged (100,000 and
//   200,000 were 20% and 6% slower, 1,500,000 2%).
// - synth of 1,000 projects: 300,000 3% faster and 6% less CPU than the default; 500,000 the same
//   CPU but about 4% slower by the clock, so synth keeps 300,000.
// Node 22 and later tier through Maglev and have no such flag (V8 prints an error for it), so
// they keep their own.
const budgets = { plan: 500_000, synth: 300_000 } as const;

/**
 * Call before the command's modules load: a function takes the budget when it first runs. node:v8
 * is loaded here, not with this module: loading it takes about 2 ms (it brings Node's stream
 * modules along), which only the commands that call this should pay.
 */
export function optimizeLater(command: keyof typeof budgets): void {
  if (process.versions.node.split(".")[0] !== "20") return;
  process.getBuiltinModule("node:v8").setFlagsFromString(`--interrupt-budget=${budgets[command]}`);
}
