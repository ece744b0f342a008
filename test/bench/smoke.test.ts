// CI smoke test of the benchmarks: `node bench/run-all.ts --quick` runs every benchmark with tiny counts
// and each writes its JSON result. This proves they still run and report well-formed ratios; it asserts
// nothing about time (benchmarks report, they do not pass or fail on speed).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { BENCHMARKS } from '../../bench/benchmarks.ts';

const out = mkdtempSync(join(tmpdir(), 'mcp-lock-bench-smoke-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

test('every benchmark runs in --quick mode and writes interleaved ratios with min ≤ median ≤ max', () => {
  const script = fileURLToPath(new URL('../../bench/run-all.ts', import.meta.url));
  const r = spawnSync(process.execPath, [script, '--quick'], {
    env: { ...process.env, MCP_LOCK_BENCH_RESULTS: out },
    encoding: 'utf8',
    timeout: 600_000,
  });
  expect(r.status, r.stderr).toBe(0);
  for (const name of BENCHMARKS) {
    const result = JSON.parse(readFileSync(join(out, `${name}.json`), 'utf8'));
    expect(result.name).toBe(name);
    expect(result.comparisons.length).toBeGreaterThan(0);
    for (const c of result.comparisons) {
      const ratios = Object.values(c.ratios) as { min: number; median: number; max: number }[];
      expect(ratios.length).toBeGreaterThan(0);
      for (const s of ratios) {
        expect(Number.isFinite(s.median) && s.median > 0).toBe(true);
        expect(s.min <= s.median && s.median <= s.max).toBe(true);
      }
      for (const arm of Object.values(c.arms) as { samples: number[] }[]) expect(arm.samples).toHaveLength(c.rounds);
    }
  }
}, 620_000);

test('an unknown benchmark name is refused with exit 2 and the list of known ones', () => {
  const script = fileURLToPath(new URL('../../bench/run-all.ts', import.meta.url));
  const r = spawnSync(process.execPath, [script, 'no-such-bench'], { encoding: 'utf8' });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/unknown benchmark no-such-bench; known: cli-start/);
});
