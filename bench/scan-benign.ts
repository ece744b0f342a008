// Benchmark: the lint's time per tool on the large benign set (test/fixtures/benign-servers, real npm
// servers), interleaved per tool with two baselines: a bare pass over the same strings that only
// lower-cases and splits them on blanks (the physical floor of any text lint), and the canonical digest
// of the tool (RFC 8785 + SHA-256, work every pinned item costs anyway). Each round times every tool once
// with each arm, the order rotated per tool; a round's sample is the median over tools of its per-tool
// times (ms per tool), and the ratios lint ÷ floor and lint ÷ digest are taken per round. Also prints the
// per-tool median over rounds (median, p90 over tools) against issue 16's target of 0.1 ms per tool.
// Run: node bench/scan-benign.ts [--quick] [rounds]   (default 7; --quick: every 20th tool, 2 rounds)

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalDigest } from '../core/canonical/digest.ts';
import { type JsonObject, parseStrictJson } from '../core/json/strict-json.ts';
import { scanSurface } from '../core/scan/scan.ts';
import { walkStrings } from '../core/scan/walk.ts';
import { percentile, QUICK, report, spread, summarise } from './harness.ts';

const rounds = Math.max(2, Math.min(25, Number(process.argv.find((a) => /^\d+$/.test(a)) ?? (QUICK ? 2 : 7))));
const dir = join(import.meta.dirname, '..', 'test', 'fixtures', 'benign-servers', 'servers');

interface Item {
  server: string;
  tool: JsonObject;
}

const all: Item[] = [];
for (const f of readdirSync(dir)
  .filter((n) => n.endsWith('.json'))
  .sort()) {
  const doc = parseStrictJson(readFileSync(join(dir, f)), f) as JsonObject;
  for (const tool of doc.tools as JsonObject[]) all.push({ server: String(doc.package), tool });
}
const items = QUICK ? all.filter((_, i) => i % 20 === 0) : all;

let sink = 0;
/** The floor: every string of the definition lower-cased and split into words, nothing judged. */
function barePass(tool: JsonObject): void {
  for (const entry of walkStrings(tool)) sink += entry.text.toLowerCase().split(/\s+/).length;
}

const time = (fn: () => void): number => {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
};

const arms: [string, (item: Item) => void][] = [
  ['bare lower-case + split', ({ tool }) => barePass(tool)],
  ['lint (scanSurface)', ({ server, tool }) => void scanSurface(server, { tools: [tool] })],
  ['canonical digest', ({ tool }) => void canonicalDigest(tool)],
];

// Warm-up: compile the regular expressions and let the JIT settle.
for (const item of items) for (const [, run] of arms) run(item);

const perTool = arms.map(() => items.map((): number[] => []));
const cpuStart = process.cpuUsage();
const wallStart = process.hrtime.bigint();
for (let r = 0; r < rounds; r++) {
  items.forEach((item, i) => {
    for (let k = 0; k < arms.length; k++) {
      const a = (k + r + i) % arms.length;
      perTool[a]![i]!.push(time(() => arms[a]![1](item)));
    }
  });
}
const wallMs = Number(process.hrtime.bigint() - wallStart) / 1e6;
const cpu = process.cpuUsage(cpuStart);
const share = Math.min(1, (cpu.user + cpu.system) / 1000 / wallMs);

/** Per round, the median over tools: one sample per arm and round, so ratios pair samples of one round. */
const samples = new Map(
  arms.map(([name], a) => [
    name,
    Array.from({ length: rounds }, (_, r) => spread(perTool[a]!.map((runs) => runs[r]!)).median),
  ]),
);
const comparison = summarise(samples, {
  title: `lint per tool, ${items.length} tools of the benign set (ms per tool, median over tools per round)`,
  rounds,
  ratios: [
    ['lint (scanSurface)', 'bare lower-case + split'],
    ['lint (scanSurface)', 'canonical digest'],
  ],
});

const lintMedians = perTool[1]!.map((runs) => spread(runs).median);
const median = spread(lintMedians).median;
const p90 = percentile(lintMedians, 90);
report(
  'scan-benign',
  [comparison],
  [
    `per-tool median lint time over ${rounds} rounds: median ${median.toFixed(4)} ms, p90 ${p90.toFixed(4)} ms over ${items.length} tools`,
    `on a core ${(share * 100).toFixed(0)} % of the wall time (below 100 %: other processes competed for the CPU)`,
    `issue 16's target, median ≤ 0.1 ms per tool: ${median <= 0.1 ? 'met' : 'not met'}${QUICK ? ' (quick run: a sample, not a measurement)' : ''}`,
    `(checksum ${sink % 997})`,
  ],
);
