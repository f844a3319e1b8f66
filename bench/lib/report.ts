// The benchmark's results: one row per figure (measured, the floor measured in the same run, their
// ratio, the target and whether it was met), the table printed to the terminal, bench/results.json
// and docs/PERFORMANCE.md.
import { cpus, totalmem, type as osType, release } from "node:os";

export type Unit = "ms" | "bytes" | "req/s" | "MB" | "chars" | "exponent";

export interface Figure {
  readonly value: number;
  readonly unit: Unit;
}

export interface Row {
  /** Stable key, e.g. "action.s100-p20". */
  readonly id: string;
  readonly section: string;
  readonly scenario: string;
  readonly measured: Figure;
  readonly floor: Figure & { readonly what: string };
  /** measured ÷ floor. */
  readonly ratio: number;
  readonly target?: {
    readonly text: string;
    readonly met: boolean;
    /** How far from the target, in words, when missed. */
    readonly missedBy?: string;
  };
  /** Samples and anything else worth keeping in results.json. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly node: string;
  readonly os: string;
  readonly date: string;
}

export function describeMachine(): Machine {
  const all = cpus();
  return {
    cpu: all[0]?.model ?? "unknown",
    cores: all.length,
    memoryBytes: totalmem(),
    node: process.version,
    os: `${osType()} ${release()}`,
    date: new Date().toISOString(),
  };
}

export function formatFigure(figure: Figure): string {
  const { value, unit } = figure;
  switch (unit) {
    case "ms":
      return value >= 10_000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value >= 100 ? 0 : 1)} ms`;
    case "bytes":
      return value >= 1024 * 1024 ? `${(value / 1024 / 1024).toFixed(2)} MB` : `${(value / 1024).toFixed(1)} KB`;
    case "req/s":
      return `${Math.round(value).toLocaleString("en-US")}/s`;
    case "MB":
      return `${value.toFixed(0)} MB`;
    case "chars":
      return `${Math.round(value).toLocaleString("en-US")} chars`;
    case "exponent":
      return value.toFixed(2);
  }
}

export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return "—";
  return ratio >= 100 ? `${ratio.toFixed(0)}×` : ratio >= 10 ? `${ratio.toFixed(1)}×` : `${ratio.toFixed(2)}×`;
}

const columns = ["scenario", "measured", "floor", "ratio", "target", "result"] as const;

function cells(row: Row): string[] {
  return [
    row.scenario,
    formatFigure(row.measured),
    formatFigure(row.floor),
    formatRatio(row.ratio),
    row.target?.text ?? "—",
    row.target ? (row.target.met ? "pass" : "FAIL") : "info",
  ];
}

/** The one table printed to the terminal. */
export function textTable(rows: readonly Row[]): string {
  const body = rows.map(cells);
  const widths = columns.map((name, i) => Math.max(name.length, ...body.map((line) => line[i]!.length)));
  const line = (values: readonly string[]) => values.map((value, i) => (i === 0 || i === 4 ? value.padEnd(widths[i]!) : value.padStart(widths[i]!))).join("  ");
  return [line(columns), widths.map((width) => "-".repeat(width)).join("  "), ...body.map(line)].join("\n");
}

const escapeCell = (text: string) => text.replace(/\|/g, "\\|");

export function markdownTable(rows: readonly Row[]): string {
  const lines = [
    "| scenario | measured | floor | ratio | target | result |",
    "| --- | ---: | ---: | ---: | --- | --- |",
    ...rows.map((row) => {
      const [scenario, measured, floor, ratio, target, result] = cells(row).map(escapeCell);
      return `| ${scenario} | ${measured} | ${floor} | ${ratio} | ${target} | ${result === "FAIL" ? "**FAIL**" : result} |`;
    }),
  ];
  return lines.join("\n");
}
