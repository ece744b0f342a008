// Benchmark: the CPU the connect-time guard adds to each tools/call round trip. The real
// @modelcontextprotocol/server-everything is pinned and installed into a temporary project (npm registry
// needed) and driven with the official MCP SDK client, through a bare stdio relay (bench/bare-relay.ts: a
// pass-through with no checks, what any proxy must pay) and through `mcp-lock run` with its default policy
// (and, once the runtime policy exists, with a policy that turns every check off), interleaved round by
// round. For each round it reads the relay process's own CPU time (every thread's se.sum_exec_runtime in
// /proc/<pid>/task/*/sched, nanosecond resolution; utime+stime from /proc/<pid>/stat where that is
// missing) before and after a batch of echo calls, and reports CPU per call and wall p50 per call, as
// ratios, plus the CPU mcp-lock adds over the bare relay in µs per round trip.
// Run: node bench/proxy-cpu.ts [--quick] [rounds=12] [callsPerRound=400]

import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { resolveLockedServer } from '../adapters/project/launch.ts';
import { createProject, type LockedProject, lockNpmServer, runArgs } from '../test/helpers/locked-project.ts';
import { percentile, QUICK, report, spread, summarise } from './harness.ts';

const numbers = process.argv
  .slice(2)
  .filter((a) => /^\d+$/.test(a))
  .map(Number);
const ROUNDS = numbers[0] ?? (QUICK ? 2 : 12);
const CALLS = numbers[1] ?? (QUICK ? 20 : 400);
const WARMUP = QUICK ? 10 : 300;
const SPEC = '@modelcontextprotocol/server-everything@2026.8.31';
const NAME = 'io.github.modelcontextprotocol/server-everything';
const RELAY = fileURLToPath(new URL('./bare-relay.ts', import.meta.url));
const POLICY_SCHEMA = fileURLToPath(new URL('../schemas/policy.schema.json', import.meta.url));

/**
 * The limits raised above what a benchmark sends (thousands of calls a minute would trip the defaults);
 * the counting itself still runs, so the "default policy" arm pays every check it pays in real use.
 */
const BENCH_LIMITS = {
  callsPerMinute: 1_000_000,
  serverCallsPerMinute: 1_000_000,
  identicalCalls: { max: 1_000_000, windowSeconds: 60 },
};

/** The default policy with the limits raised, for the "mcp-lock run" arm. */
const POLICY_DEFAULT = { policyVersion: 1, defaults: { limits: BENCH_LIMITS } };

/** Every check of the runtime policy turned off (limits raised), for the "policy off" arm. */
const POLICY_OFF = {
  policyVersion: 1,
  defaults: {
    results: { hiddenCharacters: 'off', outputSchema: 'off' },
    secrets: { arguments: 'off', results: 'off' },
    confirm: { when: 'never' },
    limits: BENCH_LIMITS,
  },
};

/** CPU time of a process so far, in ms: all its threads. */
function cpuMs(pid: number): number {
  let total = 0;
  let found = false;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const m = /se\.sum_exec_runtime\s*:\s*([\d.]+)/.exec(readFileSync(`/proc/${pid}/task/${tid}/sched`, 'utf8'));
      if (m) {
        total += Number(m[1]);
        found = true;
      }
    }
  } catch {
    // no per-thread scheduler statistics on this kernel
  }
  if (found) return total;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

interface Relay {
  client: Client;
  pid: number;
  close(): Promise<void>;
}

async function connect(command: string, args: string[], env: Record<string, string>, cwd?: string): Promise<Relay> {
  const transport = new StdioClientTransport({ command, args, env, ...(cwd ? { cwd } : {}), stderr: 'pipe' });
  const client = new Client({ name: 'mcp-lock-bench', version: '1.0.0' });
  await client.connect(transport);
  const pid = (transport as unknown as { _process?: { pid?: number } })._process?.pid;
  if (!pid) throw new Error('cannot see the relay process id');
  return { client, pid, close: () => client.close() };
}

async function batch(relay: Relay, n: number): Promise<{ cpuPerCallUs: number; p50Ms: number }> {
  const wall: number[] = [];
  const before = cpuMs(relay.pid);
  for (let i = 0; i < n; i++) {
    const started = process.hrtime.bigint();
    await relay.client.callTool({ name: 'echo', arguments: { message: `ping ${i}` } });
    wall.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { cpuPerCallUs: ((cpuMs(relay.pid) - before) * 1000) / n, p50Ms: percentile(wall, 50) };
}

let project: LockedProject | undefined;
let policyOffRoot: string | undefined;
try {
  project = createProject('mcp-lock-bench-cpu-');
  process.stderr.write(`Pinning and installing ${SPEC} into ${project.root} …\n`);
  await lockNpmServer(project, SPEC);
  const resolved = resolveLockedServer(project.root, NAME, process.env);
  if (resolved.launch.kind !== 'stdio') throw new Error('expected a stdio server');
  const direct = resolved.launch.launch;
  const env = { ...(process.env as Record<string, string>), NO_COLOR: '1' };
  const arms: [string, () => Promise<Relay>][] = [
    ['bare relay', () => connect(direct.command, [RELAY, direct.command, ...direct.args], direct.env, direct.cwd)],
    ['mcp-lock run', () => connect(process.execPath, runArgs(project!, NAME), env)],
  ];
  if (existsSync(POLICY_SCHEMA)) {
    writeFileSync(join(project.root, 'mcp-lock.policy.json'), `${JSON.stringify(POLICY_DEFAULT, null, 2)}\n`);
    policyOffRoot = `${project.root}-policy-off`;
    cpSync(project.root, policyOffRoot, { recursive: true });
    writeFileSync(join(policyOffRoot, 'mcp-lock.policy.json'), `${JSON.stringify(POLICY_OFF, null, 2)}\n`);
    const off = { ...project, root: policyOffRoot };
    arms.push(['mcp-lock run, policy off', () => connect(process.execPath, runArgs(off, NAME), env)]);
  }

  const relays = new Map<string, Relay>();
  for (const [name, open] of arms) {
    const relay = await open();
    await batch(relay, WARMUP);
    relays.set(name, relay);
  }
  process.stderr.write(`tools/call echo: ${ROUNDS} interleaved rounds of ${CALLS} calls per arm …\n`);
  const cpu = new Map<string, number[]>([...relays.keys()].map((n) => [n, []]));
  const p50 = new Map<string, number[]>([...relays.keys()].map((n) => [n, []]));
  const names = [...relays.keys()];
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length]!;
      const r = await batch(relays.get(name)!, CALLS);
      cpu.get(name)!.push(r.cpuPerCallUs);
      p50.get(name)!.push(r.p50Ms);
    }
  }
  for (const relay of relays.values()) await relay.close();

  const ratios: [string, string][] = names.slice(1).map((n) => [n, 'bare relay']);
  if (names.includes('mcp-lock run, policy off')) ratios.push(['mcp-lock run', 'mcp-lock run, policy off']);
  const bare = cpu.get('bare relay')!;
  const notes = names.slice(1).map((name) => {
    const added = spread(cpu.get(name)!.map((v, i) => v - bare[i]!));
    return `CPU ${name} adds over the bare relay per round trip: min ${added.min.toFixed(1)} µs, median ${added.median.toFixed(1)} µs, max ${added.max.toFixed(1)} µs`;
  });
  report(
    'proxy-cpu',
    [
      summarise(cpu, {
        rounds: ROUNDS,
        ratios,
        unit: 'µs',
        title: `relay process CPU per tools/call, rounds of ${CALLS}`,
      }),
      summarise(p50, { rounds: ROUNDS, ratios, title: `tools/call echo wall p50 per round of ${CALLS}` }),
    ],
    [
      ...notes,
      `${SPEC}, Node ${process.version}, ${existsSync(POLICY_SCHEMA) ? 'runtime policy present' : 'no runtime policy yet (guard as-is)'}`,
    ],
  );
} finally {
  project?.cleanup();
  if (policyOffRoot) rmSync(policyOffRoot, { recursive: true, force: true });
}
