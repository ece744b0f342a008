// `npm run fuzz`: the fuzz targets of test/fuzz/targets.ts for at least a million inputs in all. Reports
// crashes (an exception that is not our typed McpLockError, or any other broken property) and slow inputs
// (one check over 100 ms of CPU), and saves each as a regression fixture in test/fixtures/fuzz-regressions/,
// which test/fuzz/regressions.test.ts replays on every `npm test`. Exits 1 when anything was found.
//
//   node scripts/fuzz.ts [--inputs 1000000] [--seed N] [--target json-bytes,guard]

import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { type FuzzTarget, fuzzTargets, type Part } from '../test/fuzz/targets.ts';

const SLOW_MS = 100;

/**
 * CPU time of this thread in ms. Wall time on a loaded machine measures the neighbours; CPU time measures
 * the input (the cost an attacker could make the registry or the guard pay).
 */
function cpuMs(): number {
  const usage = process.threadCpuUsage ? process.threadCpuUsage() : process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}
const BATCH = 2_000;
const REGRESSIONS = join(import.meta.dirname, '..', 'test', 'fixtures', 'fuzz-regressions');

/** Share of the inputs per target: cheap parsers get most, a signature check or an inject fewer. */
const SHARE: Record<string, number> = {
  'json-clean': 0.25,
  'json-ambiguous': 0.2,
  'json-bytes': 0.34,
  manifest: 0.05,
  lock: 0.05,
  bundle: 0.04,
  guard: 0.05,
  publish: 0.01,
  http: 0.01,
};

interface Found {
  target: string;
  kind: 'crash' | 'slow';
  message: string;
  ms: number;
  parts: Part[];
}

function save(found: Found): string {
  mkdirSync(REGRESSIONS, { recursive: true });
  const body = JSON.stringify({ target: found.target, parts: found.parts });
  const file = `${found.target}-${found.kind}-${createHash('sha256').update(body).digest('hex').slice(0, 12)}.json`;
  const text = JSON.stringify(
    { target: found.target, kind: found.kind, message: found.message.slice(0, 500), parts: found.parts },
    null,
    2,
  );
  writeFileSync(join(REGRESSIONS, file), `${text}\n`);
  return file;
}

async function timed(target: FuzzTarget, parts: Part[]): Promise<number> {
  const start = cpuMs();
  try {
    await target.check(parts);
  } catch {
    // counted on the first run
  }
  return cpuMs() - start;
}

async function runTarget(target: FuzzTarget, inputs: number, seed: number, found: Found[]) {
  let done = 0;
  let maxMs = 0;
  for (let batch = 0; done < inputs; batch++) {
    const n = Math.min(BATCH, inputs - done);
    for (const parts of fc.sample(target.arbitrary, { numRuns: n, seed: seed + batch })) {
      const start = cpuMs();
      let message: string | null = null;
      try {
        await target.check(parts);
      } catch (error) {
        message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      let ms = cpuMs() - start;
      // A pause of the garbage collector is not the input's cost: a slow input stays slow timed twice more.
      if (message === null && ms > SLOW_MS) ms = Math.min(ms, await timed(target, parts), await timed(target, parts));
      maxMs = Math.max(maxMs, ms);
      if (message !== null) found.push({ target: target.name, kind: 'crash', message, ms, parts });
      else if (ms > SLOW_MS)
        found.push({ target: target.name, kind: 'slow', message: `${ms.toFixed(0)} ms`, ms, parts });
    }
    done += n;
  }
  return maxMs;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      inputs: { type: 'string', default: '1000000' },
      seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
      target: { type: 'string' },
    },
  });
  const total = Number(values.inputs);
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(total) || total < 1 || !Number.isSafeInteger(seed)) {
    process.stderr.write('usage: node scripts/fuzz.ts [--inputs N] [--seed N] [--target a,b]\n');
    return 2;
  }
  const all = await fuzzTargets();
  const chosen = values.target ? values.target.split(',') : Object.keys(SHARE);
  const targets = all.targets.filter((t) => chosen.includes(t.name));
  const shareSum = targets.reduce((sum, t) => sum + (SHARE[t.name] ?? 0), 0);
  const found: Found[] = [];
  const started = performance.now();
  let inputs = 0;
  process.stdout.write(`fuzz: seed ${seed}, ${total} inputs over ${targets.map((t) => t.name).join(', ')}\n`);
  try {
    for (const target of targets) {
      const n = Math.max(1, Math.round((total * (SHARE[target.name] ?? 0)) / shareSum));
      const before = found.length;
      const t0 = performance.now();
      const maxMs = await runTarget(target, n, seed, found);
      inputs += n;
      const seconds = ((performance.now() - t0) / 1000).toFixed(1);
      process.stdout.write(
        `  ${target.name.padEnd(15)} ${String(n).padStart(8)} inputs  ${String(found.length - before).padStart(3)} found  ` +
          `slowest ${maxMs.toFixed(1)} ms  ${seconds} s\n`,
      );
    }
  } finally {
    await all.close();
  }
  for (const f of found) process.stdout.write(`  ${f.kind} in ${f.target}: ${f.message.slice(0, 200)} → ${save(f)}\n`);
  const crashes = found.filter((f) => f.kind === 'crash').length;
  const slow = found.length - crashes;
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  process.stdout.write(
    `fuzz: ${inputs} inputs, ${crashes} crashes, ${slow} slow (> ${SLOW_MS} ms), ${seconds} s, seed ${seed}\n`,
  );
  return found.length === 0 ? 0 : 1;
}

process.exitCode = await main();
