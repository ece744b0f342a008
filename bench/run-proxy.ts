// Benchmark: the connect-time guard's cost. The real @modelcontextprotocol/server-everything is pinned and
// installed into a temporary project (npm registry needed), then driven with the official MCP SDK client
// twice, side by side: directly (the installed server, same command, arguments and environment) and
// through `mcp-lock run`. Prints p50/p99 of a cold start (spawn → initialize → tools/list) and of
// `tools/call echo` round trips, with the ratios. Not a test: nothing here asserts a timing.
// Run: node bench/run-proxy.ts [calls=2000] [coldStarts=10]

import { resolveLockedServer } from '../adapters/project/launch.ts';
import {
  connectSdk,
  createProject,
  type LockedProject,
  lockNpmServer,
  runArgs,
  type SdkConnection,
} from '../test/helpers/locked-project.ts';

const CALLS = Number(process.argv[2] ?? 2000);
const COLD = Number(process.argv[3] ?? 10);
const WARMUP = 100;
const SPEC = '@modelcontextprotocol/server-everything@2026.8.31';
const NAME = 'io.github.modelcontextprotocol/server-everything';

interface Command {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

function stats(samples: number[]): { p50: number; p99: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
  };
}

async function coldStart(command: Command): Promise<number> {
  const started = performance.now();
  const conn = await connectSdk(command);
  await conn.client.listTools();
  const elapsed = performance.now() - started;
  await conn.close();
  return elapsed;
}

async function roundTrips(conn: SdkConnection, n: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await conn.client.callTool({ name: 'echo', arguments: { message: `ping ${i}` } });
    samples.push(performance.now() - started);
  }
  return samples;
}

function row(label: string, direct: number, guarded: number, unit: string): string {
  const ratio = guarded / direct;
  return `${label.padEnd(26)} ${direct.toFixed(3).padStart(10)} ${guarded.toFixed(3).padStart(12)} ${unit.padEnd(3)} ${ratio.toFixed(2).padStart(7)}×`;
}

async function main(): Promise<void> {
  let project: LockedProject | undefined;
  try {
    project = createProject('mcp-lock-bench-run-');
    process.stderr.write(`Pinning and installing ${SPEC} into ${project.root} …\n`);
    await lockNpmServer(project, SPEC);
    const resolved = resolveLockedServer(project.root, NAME, process.env);
    if (resolved.launch.kind !== 'stdio') throw new Error('expected a stdio server');
    const direct: Command = resolved.launch.launch;
    const guarded: Command = { command: process.execPath, args: runArgs(project, NAME) };

    process.stderr.write(`Cold starts: ${COLD} each, alternating …\n`);
    const coldDirect: number[] = [];
    const coldGuarded: number[] = [];
    for (let i = 0; i < COLD; i++) {
      coldDirect.push(await coldStart(direct));
      coldGuarded.push(await coldStart(guarded));
    }

    process.stderr.write(`Round trips: ${WARMUP} warm-up, then ${CALLS} tools/call echo each …\n`);
    const a = await connectSdk(direct);
    const b = await connectSdk(guarded);
    await roundTrips(a, WARMUP);
    await roundTrips(b, WARMUP);
    const rtDirect = await roundTrips(a, CALLS);
    const rtGuarded = await roundTrips(b, CALLS);
    await a.close();
    await b.close();

    const cd = stats(coldDirect);
    const cg = stats(coldGuarded);
    const rd = stats(rtDirect);
    const rg = stats(rtGuarded);
    const lines = [
      '',
      `mcp-lock run vs direct — ${SPEC}, Node ${process.version}, ${CALLS} calls, ${COLD} cold starts`,
      `${''.padEnd(26)} ${'direct'.padStart(10)} ${'mcp-lock run'.padStart(12)}     ${'ratio'.padStart(8)}`,
      row('cold start p50', cd.p50, cg.p50, 'ms'),
      row('cold start p99', cd.p99, cg.p99, 'ms'),
      row('tools/call echo p50', rd.p50, rg.p50, 'ms'),
      row('tools/call echo p99', rd.p99, rg.p99, 'ms'),
      row('tools/call echo mean', rd.mean, rg.mean, 'ms'),
      `added per call (p50): ${(rg.p50 - rd.p50).toFixed(3)} ms; added per cold start (p50): ${(cg.p50 - cd.p50).toFixed(0)} ms`,
      '',
    ];
    process.stdout.write(lines.join('\n'));
  } finally {
    project?.cleanup();
  }
}

await main();
