// Benchmark: the connect-time guard's cost. The real @modelcontextprotocol/server-everything is pinned and
// installed into a temporary project (npm registry needed), then driven with the official MCP SDK client
// three ways, interleaved round by round: directly (the installed server, same command, arguments and
// environment), through a bare stdio relay (bench/bare-relay.ts: the physical limit of any proxy), and
// through `mcp-lock run`. Reports start → first tools/list, and tools/call echo round trips (p50 and p99 of
// each round), each as ratios against direct and against the bare relay.
// Run: node bench/run-proxy.ts [--quick] [rounds=15] [callsPerRound=100] [coldRounds=8]

import { fileURLToPath } from 'node:url';
import { resolveLockedServer } from '../adapters/project/launch.ts';
import {
  connectSdk,
  createProject,
  type LockedProject,
  lockNpmServer,
  runArgs,
  type SdkConnection,
} from '../test/helpers/locked-project.ts';
import { compare, elapsedMs, percentile, QUICK, report, summarise } from './harness.ts';

const numbers = process.argv
  .slice(2)
  .filter((a) => /^\d+$/.test(a))
  .map(Number);
const ROUNDS = numbers[0] ?? (QUICK ? 2 : 15);
const CALLS = numbers[1] ?? (QUICK ? 5 : 100);
const COLD = numbers[2] ?? (QUICK ? 1 : 8);
const WARMUP = QUICK ? 5 : 100;
const SPEC = '@modelcontextprotocol/server-everything@2026.8.31';
const NAME = 'io.github.modelcontextprotocol/server-everything';
const RELAY = fileURLToPath(new URL('./bare-relay.ts', import.meta.url));

interface Command {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
}

async function coldStart(command: Command): Promise<number> {
  let conn: SdkConnection | undefined;
  const ms = await elapsedMs(async () => {
    conn = await connectSdk(command);
    await conn.client.listTools();
  });
  await conn?.close();
  return ms;
}

async function echoBatch(conn: SdkConnection, n: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    samples.push(await elapsedMs(() => conn.client.callTool({ name: 'echo', arguments: { message: `ping ${i}` } })));
  }
  return samples;
}

const RATIOS: [string, string][] = [
  ['mcp-lock run', 'direct'],
  ['mcp-lock run', 'bare relay'],
  ['bare relay', 'direct'],
];

let project: LockedProject | undefined;
try {
  project = createProject('mcp-lock-bench-run-');
  process.stderr.write(`Pinning and installing ${SPEC} into ${project.root} …\n`);
  await lockNpmServer(project, SPEC);
  const resolved = resolveLockedServer(project.root, NAME, process.env);
  if (resolved.launch.kind !== 'stdio') throw new Error('expected a stdio server');
  const direct: Command = resolved.launch.launch;
  const commands: Record<string, Command> = {
    direct,
    'bare relay': { ...direct, args: [RELAY, direct.command, ...direct.args] },
    'mcp-lock run': { command: process.execPath, args: runArgs(project, NAME) },
  };

  process.stderr.write(`Start → first tools/list: ${COLD} interleaved rounds …\n`);
  const cold = await compare(
    Object.entries(commands).map(([name, c]) => ({ name, run: () => coldStart(c) })),
    { title: 'start → first tools/list', rounds: COLD, ratios: RATIOS },
  );

  process.stderr.write(`tools/call echo: ${ROUNDS} interleaved rounds of ${CALLS} calls …\n`);
  const conns = new Map<string, SdkConnection>();
  for (const [name, c] of Object.entries(commands)) {
    const conn = await connectSdk(c);
    await echoBatch(conn, WARMUP);
    conns.set(name, conn);
  }
  const p50 = new Map<string, number[]>([...conns.keys()].map((n) => [n, []]));
  const p99 = new Map<string, number[]>([...conns.keys()].map((n) => [n, []]));
  const names = [...conns.keys()];
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length]!;
      const batch = await echoBatch(conns.get(name)!, CALLS);
      p50.get(name)!.push(percentile(batch, 50));
      p99.get(name)!.push(percentile(batch, 99));
    }
  }
  for (const conn of conns.values()) await conn.close();
  const opts = { rounds: ROUNDS, ratios: RATIOS };
  report(
    'run-proxy',
    [
      cold,
      summarise(p50, { ...opts, title: `tools/call echo p50 per round of ${CALLS}` }),
      summarise(p99, { ...opts, title: `tools/call echo p99 per round of ${CALLS}` }),
    ],
    [`${SPEC}, Node ${process.version}`],
  );
} finally {
  project?.cleanup();
}
