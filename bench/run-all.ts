// npm run bench: every benchmark, one after the other, each in its own process (so one's warm caches and
// heap do not flatter the next). `--quick` runs each with tiny counts: the CI smoke test does that, to
// prove every benchmark still runs; it asserts nothing about time. Results: bench-results/*.json.
// Run: node bench/run-all.ts [--quick] [name…]

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BENCHMARKS } from './benchmarks.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.filter((a) => !a.startsWith('--'));
const unknown = only.filter((n) => !(BENCHMARKS as readonly string[]).includes(n));
if (unknown.length) {
  process.stderr.write(`unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.join(', ')}\n`);
  process.exit(2);
}
let failed = 0;
for (const name of only.length ? only : BENCHMARKS) {
  process.stderr.write(`\n== bench/${name}.ts${quick ? ' --quick' : ''}\n`);
  const script = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  const r = spawnSync(process.execPath, [script, ...(quick ? ['--quick'] : [])], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    process.stderr.write(`bench/${name}.ts failed (exit ${r.status ?? r.signal})\n`);
  }
}
process.exit(failed ? 1 : 0);
