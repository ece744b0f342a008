// Benchmark: the CPU that secrets in flight add to one tools/call (issue #13.4). The pure guard handles a
// call and its result, with the secret scan off (arguments and results) against on (the default policy:
// arguments block, results audit), interleaved, for a typical small call and for one with 8 KiB of text
// each way. The call limits run in both arms (their windows are set too wide to trip), so the ratio is
// the scan's own cost. Prints µs CPU per call and the ratio scan/off as min/median/max.
// Run: node bench/call-safety.ts [--quick] [rounds=7]

import type { SecretSettings } from '../core/generated/policy.ts';
import { Guard } from '../core/guard/guard.ts';
import { pinnedSurface } from '../core/guard/pinned-surface.ts';
import { resolveServerPolicy, type ServerPolicy } from '../core/policy/resolve-policy.ts';
import { pinSurface } from '../core/surface/pin.ts';
import { compare, QUICK, report } from './harness.ts';

const rounds = QUICK ? 2 : Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 7);
const callsPerSample = QUICK ? 50 : 2000;

const SURFACE = pinnedSurface(
  pinSurface({
    protocolVersion: '2025-11-25',
    instructions: 'Be brief.',
    tools: [
      {
        name: 'echo',
        description: 'Echo a message.',
        inputSchema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
      },
    ],
    prompts: [],
    resources: [],
    resourceTemplates: [],
  }),
);

function policy(secrets: SecretSettings): ServerPolicy {
  const limits = { callsPerMinute: 1e9, serverCallsPerMinute: 1e9, identicalCalls: { max: 1e9, windowSeconds: 60 } };
  return resolveServerPolicy({ policyVersion: 1, defaults: { secrets, limits } }, SERVER);
}

function openedGuard(policy: ServerPolicy): Guard {
  const g = new Guard({ server: SERVER, surface: SURFACE, onDrift: 'block', policy });
  g.fromClient(
    JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'b', version: '1' } },
    }),
  );
  g.fromServer(
    JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      result: { protocolVersion: '2025-11-25', capabilities: {}, instructions: 'Be brief.' },
    }),
  );
  g.fromClient(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  return g;
}

const PROSE =
  'The build passed on the second try; the report lists 12 warnings, none new, and the cache hit rate was 93 %. ';

function cpuMicros(): number {
  const usage = process.threadCpuUsage ? process.threadCpuUsage() : process.cpuUsage();
  return usage.user + usage.system;
}

/** µs of CPU per call+result, over callsPerSample calls on a fresh guard. */
function sample(secrets: SecretSettings, text: string): number {
  const g = openedGuard(policy(secrets));
  const calls = Array.from({ length: callsPerSample }, (_, i) => [
    JSON.stringify({
      jsonrpc: '2.0',
      id: i + 1,
      method: 'tools/call',
      params: { name: 'echo', arguments: { message: `${i} ${text}` } },
    }),
    JSON.stringify({ jsonrpc: '2.0', id: i + 1, result: { content: [{ type: 'text', text: `Echo: ${i} ${text}` }] } }),
  ]);
  const start = cpuMicros();
  for (const [call, result] of calls) {
    g.fromClient(call!);
    g.fromServer(result!);
  }
  return (cpuMicros() - start) / callsPerSample;
}

const OFF: SecretSettings = { arguments: 'off', results: 'off' };
const DEFAULT: SecretSettings = {};
const SERVER = 'io.github.bench/server';
const sizes: [string, string][] = [
  ['a small call (~110 characters each way)', PROSE],
  ['8 KiB of text each way', PROSE.repeat(Math.ceil(8192 / PROSE.length)).slice(0, 8192)],
];

const comparisons = [];
for (const [what, text] of sizes) {
  comparisons.push(
    await compare(
      [
        { name: 'scan off', run: () => sample(OFF, text) },
        { name: 'default (scan on)', run: () => sample(DEFAULT, text) },
      ],
      { title: `tools/call through the pure guard, ${what}`, unit: 'µs CPU/call', rounds },
    ),
  );
}
report('call-safety', comparisons);
