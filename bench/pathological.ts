// Benchmark: the cost of pathological inputs grows linearly. For each case it measures the CPU time of
// the input at 1× and at 10× its size, interleaved (1×, 10×, 1×, 10×, …) so a busy machine affects both
// alike, and prints cost(10×)/cost(1×) as min/median/max over the repeats. Linear is 10; each case's
// median must stay ≤ 12 (a quadratic case shows ~100). Exits 1 when one does not (except with --quick, the
// CI smoke test's tiny run, which only proves the benchmark works).
// Run: node bench/pathological.ts [--quick] [rounds=5]

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { McpLockError } from '../core/errors.ts';
import type { Surface } from '../core/generated/manifest.ts';
import { Guard } from '../core/guard/guard.ts';
import { pinnedSurface } from '../core/guard/pinned-surface.ts';
import { scanForSecrets } from '../core/guard/secret-scan.ts';
import { parseStrictJson } from '../core/json/strict-json.ts';
import { pinSurface } from '../core/surface/pin.ts';
import { QUICK, report, summarise } from './harness.ts';

const LIMIT = 12;
const rounds = QUICK ? 2 : Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 5);

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
  // The secret scan (issue #13.4): inputs built to make its regexes restart at every position.
  ...(
    [
      ['dense GitHub app-token prefixes', 'ghs_1_'],
      ['PEM headers without an END', `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(9_000)}`],
      ['JWT starts without an end', `eyJ${'a'.repeat(4_000)}.eyJ`],
      ['one long run of token characters', 'a'],
    ] as const
  ).map(
    ([what, unit]): Case => ({
      name: `secret scan: ${what}`,
      make: (scale) => unit.repeat(Math.ceil((64 * 1024 * scale) / unit.length)),
      run: (input) => {
        scanForSecrets(input, { maxScanBytes: 16 * 1024 * 1024, maxStrings: 10, maxFindings: 20 });
      },
    }),
  ),
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

const inputs = cases.map((c) => ({ small: c.make(1), large: c.make(10) }));
// Quick mode (the smoke test) still repeats until a sample is well above the CPU clock's resolution.
const iterations = cases.map((c, i) => iterationsFor(c, inputs[i]!.small, QUICK ? 8 : 20));
const samples = cases.map(
  () =>
    new Map<string, number[]>([
      ['1×', []],
      ['10×', []],
    ]),
);
for (let r = 0; r < rounds; r++) {
  cases.forEach((c, i) => {
    // Alternate which size goes first, so neither always runs on a freshly collected heap after the other.
    const order = r % 2 ? (['10×', '1×'] as const) : (['1×', '10×'] as const);
    for (const size of order) {
      const input = size === '1×' ? inputs[i]!.small : inputs[i]!.large;
      samples[i]!.get(size)!.push(cost(c, input, iterations[i]!));
    }
  });
}

const comparisons = cases.map((c, i) =>
  summarise(samples[i]!, {
    title: `${c.name} (1× = ${(inputs[i]!.small.length / 1024).toFixed(0)} KiB)`,
    unit: 'ms CPU',
    rounds,
    ratios: [['10×', '1×']],
  }),
);
const verdicts = comparisons.map((c) => {
  const median = c.ratios['10× / 1×']!.median;
  return `${median <= LIMIT ? 'ok  ' : 'OVER'} ${c.title}: cost(10×)/cost(1×) median ${median.toFixed(1)} (linear 10, limit ${LIMIT})`;
});
report('pathological', comparisons, [verdicts.join('\n')]);
// Quick mode (the CI smoke test) only proves the benchmark runs; its single iterations are too noisy to judge.
process.exitCode = !QUICK && verdicts.some((v) => v.startsWith('OVER')) ? 1 : 0;
