// Benchmark: the cost of pathological inputs grows linearly. For each case it measures the CPU time of
// the input at 1× and at 10× its size, interleaved (1×, 10×, 1×, 10×, …) so a busy machine affects both
// alike, and prints cost(10×)/cost(1×) as min/median/max over the repeats. Linear is 10; each case's
// median must stay ≤ 12 (a quadratic case shows ~100). Exits 1 when one does not.
// Run: node bench/pathological.ts [repeats]

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { McpLockError } from '../core/errors.ts';
import type { Surface } from '../core/generated/manifest.ts';
import { Guard } from '../core/guard/guard.ts';
import { pinnedSurface } from '../core/guard/pinned-surface.ts';
import { parseStrictJson } from '../core/json/strict-json.ts';
import { pinSurface } from '../core/surface/pin.ts';

const LIMIT = 12;
const repeats = Number(process.argv[2] ?? 5);

interface Case {
  name: string;
  /** The input at `scale` (1 or 10). */
  make(scale: number): string;
  run(input: string): void;
}

/** Parse, and let only our typed refusals through (a refusal is a valid outcome for a pathological input). */
function parse(input: string, maxDepth?: number): void {
  try {
    parseStrictJson(input, 'bench', maxDepth === undefined ? undefined : { maxDepth });
  } catch (error) {
    if (!(error instanceof McpLockError)) throw error;
  }
}

const SURFACE: Surface = pinSurface({
  protocolVersion: '2025-11-25',
  instructions: 'Be brief.',
  tools: [{ name: 'echo', description: 'Echo a message.', inputSchema: { type: 'object' } }],
  prompts: [],
  resources: [],
  resourceTemplates: [],
});

function guardLine(line: string): void {
  const guard = new Guard({ server: 'io.github.bench/server', surface: pinnedSurface(SURFACE), onDrift: 'block' });
  guard.fromClient(line);
}

const cases: Case[] = [
  {
    name: 'long number literals (~500 chars each)',
    // Accepted ones: trailing zeros after the point, and small values written out in full.
    make: (scale) =>
      `[${Array.from({ length: 200 * scale }, (_, i) => (i % 2 ? `${i % 9}.${'0'.repeat(495)}` : `0.${'0'.repeat(300)}${(i % 9) + 1}`)).join(',')}]`,
    run: (input) => parse(input),
  },
  {
    name: 'one over-long number literal',
    make: (scale) => `[1${'0'.repeat(100_000 * scale)}1]`,
    run: (input) => parse(input),
  },
  {
    name: 'deep nesting, refused past the limit',
    make: (scale) => `${'['.repeat(100_000 * scale)}${']'.repeat(100_000 * scale)}`,
    run: (input) => parse(input),
  },
  {
    name: 'nesting at the limit, many times',
    make: (scale) => `[${Array.from({ length: 500 * scale }, () => `${'['.repeat(60)}1${']'.repeat(60)}`).join(',')}]`,
    run: (input) => parse(input),
  },
  {
    name: 'long strings with escapes and pairs',
    make: (scale) => JSON.stringify('ab\\"\n😀\u00e9\u200b'.repeat(20_000 * scale)),
    run: (input) => parse(input),
  },
  {
    name: 'many keys in one object',
    make: (scale) =>
      `{${Array.from({ length: 5_000 * scale }, (_, i) => `"key-${i}-${'x'.repeat(i % 7)}":${i}`).join(',')}}`,
    run: (input) => parse(input),
  },
  {
    name: 'guard: a long client line',
    make: (scale) =>
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'echo',
          arguments: { message: 'm'.repeat(200_000 * scale), list: Array(5_000 * scale).fill(1) },
        },
      }),
    run: guardLine,
  },
  {
    name: 'guard: a long malformed client line',
    make: (scale) => `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"x":"${'y'.repeat(300_000 * scale)}",}}`,
    run: guardLine,
  },
];

// Collect garbage before each measurement, so one run does not pay for what the previous one left behind.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function cpuMs(): number {
  const usage = process.threadCpuUsage ? process.threadCpuUsage() : process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** CPU ms of `run(input)`, repeated until it has cost at least `floorMs` at the 1× size (same count at 10×). */
function cost(c: Case, input: string, iterations: number): number {
  collectGarbage();
  const start = cpuMs();
  for (let i = 0; i < iterations; i++) c.run(input);
  return (cpuMs() - start) / iterations;
}

function iterationsFor(c: Case, input: string, floorMs = 20): number {
  let n = 1;
  while (cost(c, input, n) * n < floorMs && n < 256) n *= 2;
  return n;
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, median: s[Math.floor(s.length / 2)]!, max: s[s.length - 1]! };
};

const inputs = cases.map((c) => ({ small: c.make(1), large: c.make(10) }));
const iterations = cases.map((c, i) => iterationsFor(c, inputs[i]!.small));
const ratios: number[][] = cases.map(() => []);
const baseMs: number[][] = cases.map(() => []);
for (let r = 0; r < repeats; r++) {
  cases.forEach((c, i) => {
    const small = cost(c, inputs[i]!.small, iterations[i]!);
    const large = cost(c, inputs[i]!.large, iterations[i]!);
    baseMs[i]!.push(small);
    ratios[i]!.push(large / small);
  });
}

console.log(
  `pathological inputs: cost(10×) / cost(1×) in CPU time, ${repeats} interleaved repeats (linear = 10, limit ${LIMIT})`,
);
let failed = false;
cases.forEach((c, i) => {
  const s = stats(ratios[i]!);
  const ok = s.median <= LIMIT;
  failed ||= !ok;
  const size = (inputs[i]!.small.length / 1024).toFixed(0);
  console.log(
    `  ${ok ? 'ok  ' : 'FAIL'} ${c.name.padEnd(40)} min ${s.min.toFixed(1).padStart(5)}  median ${s.median.toFixed(1).padStart(5)}  ` +
      `max ${s.max.toFixed(1).padStart(5)}   (1× = ${size} KiB, ${stats(baseMs[i]!).median.toFixed(2)} ms)`,
  );
});
process.exitCode = failed ? 1 : 0;
