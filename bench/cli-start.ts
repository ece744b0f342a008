// Benchmark: CLI cold start. `mcp-lock --version` and `mcp-lock --help` against `node -e 0`, the floor for
// any Node CLI, interleaved. Run: node bench/cli-start.ts [--quick] [rounds=20]

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compare, elapsedMs, QUICK, report } from './harness.ts';

const rounds = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? (QUICK ? 2 : 20));
const bin = fileURLToPath(new URL('../bin/mcp-lock.js', import.meta.url));

function timed(args: string[]): () => Promise<number> {
  return () =>
    elapsedMs(() => {
      const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    });
}

const result = await compare(
  [
    { name: 'node -e 0', run: timed(['-e', '0']) },
    { name: 'mcp-lock --version', run: timed([bin, '--version']) },
    { name: 'mcp-lock --help', run: timed([bin, '--help']) },
  ],
  { title: 'CLI cold start', rounds },
);
report('cli-start', [result], [`Node ${process.version}`]);
