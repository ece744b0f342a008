// Benchmark: the lint's time per tool on the large benign set (test/fixtures/benign-servers, real npm
// servers), next to a baseline run interleaved with it: the canonical digest of the same tool (RFC 8785 +
// SHA-256), work every pinned item costs anyway. Each round times every tool once with each; a tool's time
// is its median over the rounds (and, for a busy shared machine, its best round). Prints min / median /
// p90 / max over tools, and the ratio lint ÷ digest, which a busy machine disturbs less than either time.
// Run: node bench/scan-benign.ts [rounds]   (default 7; about 10 s on a quiet machine)

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalDigest } from '../core/canonical/digest.ts';
import { type JsonObject, parseStrictJson } from '../core/json/strict-json.ts';
import { scanSurface } from '../core/scan/scan.ts';

const rounds = Math.max(3, Math.min(25, Number(process.argv[2] ?? 7)));
const dir = join(import.meta.dirname, '..', 'test', 'fixtures', 'benign-servers', 'servers');
const deadline = Date.now() + 55_000;

interface Item {
  server: string;
  tool: JsonObject;
}

const items: Item[] = [];
for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
  const doc = parseStrictJson(readFileSync(join(dir, f)), f) as JsonObject;
  for (const tool of doc.tools as JsonObject[]) items.push({ server: String(doc.package), tool });
}

const lint: number[][] = items.map(() => []);
const base: number[][] = items.map(() => []);
const time = (fn: () => void): number => {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
};

// Warm-up: compile the regular expressions and let the JIT settle.
for (const { server, tool } of items) scanSurface(server, { tools: [tool] });

let done = 0;
const wallStart = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
for (let r = 0; r < rounds && Date.now() < deadline; r++, done++) {
  items.forEach(({ server, tool }, i) => {
    // Alternate which runs first, so neither always gets the warmer cache.
    if ((r + i) % 2 === 0) {
      lint[i]!.push(time(() => scanSurface(server, { tools: [tool] })));
      base[i]!.push(time(() => canonicalDigest(tool)));
    } else {
      base[i]!.push(time(() => canonicalDigest(tool)));
      lint[i]!.push(time(() => scanSurface(server, { tools: [tool] })));
    }
  });
}

const wallMs = Number(process.hrtime.bigint() - wallStart) / 1e6;
const cpu = process.cpuUsage(cpuStart);
/** The share of wall time this process was on a core: below 1 when other processes compete for the CPU. */
const share = Math.min(1, (cpu.user + cpu.system) / 1000 / wallMs);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const perTool = (runs: number[][]) => runs.map(median).sort((a, b) => a - b);
/** A tool's fastest round: on a shared, busy machine the least disturbed by other processes. */
const bestPerTool = (runs: number[][]) => runs.map((r) => Math.min(...r)).sort((a, b) => a - b);
const stats = (xs: number[]) => ({
  min: xs[0]!,
  median: median(xs),
  p90: xs[Math.floor(xs.length * 0.9)]!,
  max: xs[xs.length - 1]!,
});
const l = stats(perTool(lint));
const b = stats(perTool(base));
const lBest = stats(bestPerTool(lint));
const bBest = stats(bestPerTool(base));
const ratios = stats(items.map((_, i) => median(lint[i]!) / Math.max(median(base[i]!), 1e-6)).sort((x, y) => x - y));
const ms = (n: number) => `${n.toFixed(4)} ms`;
console.log(`${items.length} tools from ${readdirSync(dir).length} servers, ${done} interleaved rounds`);
console.log('                 min          median       p90          max');
console.log(`lint per tool    ${ms(l.min).padEnd(13)}${ms(l.median).padEnd(13)}${ms(l.p90).padEnd(13)}${ms(l.max)}`);
console.log(`digest per tool  ${ms(b.min).padEnd(13)}${ms(b.median).padEnd(13)}${ms(b.p90).padEnd(13)}${ms(b.max)}`);
console.log(
  `ratio lint/digest ${ratios.min.toFixed(2).padEnd(13)}${ratios.median.toFixed(2).padEnd(13)}${ratios.p90.toFixed(2).padEnd(13)}${ratios.max.toFixed(2)}`,
);
console.log(
  `lint, best round ${ms(lBest.min).padEnd(13)}${ms(lBest.median).padEnd(13)}${ms(lBest.p90).padEnd(13)}${ms(lBest.max)}`,
);
console.log(
  `digest, best     ${ms(bBest.min).padEnd(13)}${ms(bBest.median).padEnd(13)}${ms(bBest.p90).padEnd(13)}${ms(bBest.max)}`,
);
console.log(
  `on a core ${(share * 100).toFixed(0)} % of the time; lint median × that share: ${ms(l.median * share)} (best rounds: ${ms(lBest.median * share)})`,
);
console.log(
  `median lint time per tool ≤ 0.1 ms: ${l.median <= 0.1 ? 'yes' : 'NO'} (wall, median of medians), ${l.median * share <= 0.1 ? 'yes' : 'NO'} (on-core time)`,
);
