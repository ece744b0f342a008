// The one way our benchmarks measure: a baseline and its subjects run interleaved (A B C A B C …, the
// order rotated each round so no subject always goes first), repeated for several rounds; each round
// gives one sample per arm (the median of its inner repeats), and every ratio subject/baseline is taken
// per round, so machine noise that hits a round hits both sides. Prints min/median/max of each arm and of
// each ratio, and writes the whole result as JSON (bench-results/<name>.json, ignored by git, or the
// folder MCP_LOCK_BENCH_RESULTS names).
// Nothing here asserts a time: benchmarks report, tests assert behaviour.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Arm {
  name: string;
  /** One measured sample, in the unit of the benchmark (ms unless said). */
  run: () => Promise<number> | number;
}

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export interface Comparison {
  title: string;
  unit: string;
  rounds: number;
  arms: Record<string, Spread & { samples: number[] }>;
  /** ratio name → spread of per-round ratios, e.g. "mcp-lock run / direct". */
  ratios: Record<string, Spread>;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]! };
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** Elapsed milliseconds of a synchronous or asynchronous action. */
export async function elapsedMs(action: () => unknown): Promise<number> {
  const started = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export interface CompareOptions {
  title: string;
  unit?: string;
  rounds: number;
  /** Ratios to report, as [subject, baseline] arm names; default: every arm against the first. */
  ratios?: [string, string][];
}

/** Run the arms interleaved for `rounds` rounds (rotating the order) and compare them. */
export async function compare(arms: readonly Arm[], options: CompareOptions): Promise<Comparison> {
  const samples = new Map<string, number[]>(arms.map((a) => [a.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (let i = 0; i < arms.length; i++) {
      const arm = arms[(round + i) % arms.length]!;
      samples.get(arm.name)!.push(await arm.run());
    }
  }
  return summarise(samples, options);
}

/** Compare per-round samples taken elsewhere (same rounds, same order for every arm). */
export function summarise(samples: ReadonlyMap<string, readonly number[]>, options: CompareOptions): Comparison {
  const names = [...samples.keys()];
  const pairs = options.ratios ?? names.slice(1).map((n) => [n, names[0]!] as [string, string]);
  const ratios: Record<string, Spread> = {};
  for (const [subject, base] of pairs) {
    const s = samples.get(subject)!;
    const b = samples.get(base)!;
    ratios[`${subject} / ${base}`] = spread(s.map((v, i) => v / b[i]!));
  }
  return {
    title: options.title,
    unit: options.unit ?? 'ms',
    rounds: options.rounds,
    arms: Object.fromEntries([...samples].map(([name, s]) => [name, { ...spread(s), samples: [...s] }])),
    ratios,
  };
}

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3));

/** A compact table: each arm's min/median/max, then each ratio's. */
export function formatComparison(c: Comparison): string {
  const width = Math.max(
    12,
    ...Object.keys(c.arms).map((n) => n.length),
    ...Object.keys(c.ratios).map((n) => n.length),
  );
  const line = (label: string, s: Spread, unit: string) =>
    `  ${label.padEnd(width)}  ${fmt(s.min).padStart(9)} ${fmt(s.median).padStart(9)} ${fmt(s.max).padStart(9)} ${unit}`;
  const out = [
    `${c.title} (${c.rounds} interleaved rounds)`,
    `  ${''.padEnd(width)}  ${'min'.padStart(9)} ${'median'.padStart(9)} ${'max'.padStart(9)}`,
  ];
  for (const [name, s] of Object.entries(c.arms)) out.push(line(name, s, c.unit));
  for (const [name, s] of Object.entries(c.ratios)) out.push(line(name, s, '×'));
  return out.join('\n');
}

const resultsDir =
  process.env.MCP_LOCK_BENCH_RESULTS ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'bench-results');

/** Print the comparisons and write them as bench-results/<name>.json. */
export function report(name: string, comparisons: readonly Comparison[], notes: readonly string[] = []): void {
  const text = [...comparisons.map(formatComparison), ...notes].join('\n\n');
  process.stdout.write(`${text}\n\n`);
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${name}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ name, node: process.version, at: new Date().toISOString(), comparisons, notes }, null, 2)}\n`,
  );
  process.stderr.write(`wrote ${file}\n`);
}

/** `--quick` (the CI smoke test): tiny counts, same code paths. */
export const QUICK = process.argv.includes('--quick');
