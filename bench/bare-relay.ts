// The physical limit of any stdio proxy: a minimal Node pass-through with no checks at all. It starts the
// command it is given and copies bytes both ways, nothing else. Benchmarks put it next to the direct
// connection so `mcp-lock run`'s cost is read against what any relay must pay (one more process, two more
// pipe hops). Usage: node bench/bare-relay.ts <command> [args…]

import { spawn } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  process.stderr.write('usage: node bench/bare-relay.ts <command> [args…]\n');
  process.exit(2);
}
const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
process.stdin.pipe(child.stdin);
child.stdout.pipe(process.stdout);
process.stdin.on('end', () => child.stdin.end());
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
