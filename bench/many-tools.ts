// Benchmark: memory of `mcp-lock run` in front of a server that lists many tools (#16 point 6). A tiny
// stdio server (test/helpers/tiny-server.ts) with N tools in pages of 1,000, from a loopback npm registry,
// pinned with --max-items N and installed; then, interleaved, the SDK client lists every tool and calls
// one, once straight to the server and once through `mcp-lock run --max-items N`. Reports the peak RSS
// (VmHWM) of the server on its own, of the proxy, and their ratio (target ≤ 1.5×), and the wall time of
// the whole listing. Linux only (/proc). Run: node bench/many-tools.ts [--quick] [tools=20000] [rounds=3]

import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { resolveLockedServer } from '../adapters/project/launch.ts';
import { runCli } from '../test/helpers/cli.ts';
import { createProject, runArgs } from '../test/helpers/locked-project.ts';
import { startNpmRegistry } from '../test/helpers/npm-registry.ts';
import { descendants, peakRssKiB } from '../test/helpers/proc.ts';
import { TINY_SERVER_JS } from '../test/helpers/tiny-server.ts';
import { elapsedMs, QUICK, report, summarise } from './harness.ts';

const numbers = process.argv
  .slice(2)
  .filter((a) => /^\d+$/.test(a))
  .map(Number);
// --quick: just past the default cap of 10,000, so the raised cap is what the smoke test exercises.
const TOOLS = numbers[0] ?? (QUICK ? 10_001 : 20_000);
const ROUNDS = numbers[1] ?? (QUICK ? 1 : 3);
const NAME = 'io.github.bench/many-tools';

/** Peak resident set (VmHWM) of a live process, in MiB. */
const peakRssMiB = (pid: number): number => peakRssKiB(pid) / 1024;

/** The largest peak RSS among live descendants of `pid` whose command line names `needle`. */
const descendantPeakMiB = (pid: number, needle: string): number =>
  Math.max(0, ...descendants(pid, needle).map(peakRssMiB));

interface Sample {
  ms: number;
  self: number;
  server: number;
}

async function session(command: string, args: string[], env: Record<string, string>, cwd?: string): Promise<Sample> {
  const transport = new StdioClientTransport({ command, args, env, ...(cwd ? { cwd } : {}), stderr: 'pipe' });
  const client = new Client({ name: 'bench', version: '1.0.0' });
  let count = 0;
  const ms = await elapsedMs(async () => {
    await client.connect(transport);
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : {});
      count += page.tools.length;
      cursor = page.nextCursor;
    } while (cursor);
    await client.callTool({ name: 'tool_00000', arguments: {} });
  });
  if (count !== TOOLS) throw new Error(`listed ${count} tools, expected ${TOOLS}`);
  const pid = transport.pid!;
  const sample = { ms, self: peakRssMiB(pid), server: descendantPeakMiB(pid, 'server.js') };
  await client.close();
  return sample;
}

const tools = Array.from({ length: TOOLS }, (_, i) => ({
  name: `tool_${String(i).padStart(5, '0')}`,
  description: `Returns record ${i} of the catalogue.`,
  inputSchema: { type: 'object', properties: { id: { type: 'string' } } },
}));
const registry = await startNpmRegistry({
  packages: [
    {
      name: 'many-tools-mcp',
      version: '1.0.0',
      files: { 'server.js': TINY_SERVER_JS, 'surface.json': JSON.stringify({ tools, pageSize: 1000 }) },
      bin: { 'many-tools-mcp': 'server.js' },
    },
  ],
});
const project = createProject('mcp-lock-bench-many-');
try {
  // Asynchronously: the npm registry it installs from answers from this process.
  const add = await runCli(
    [
      'add',
      '--tofu',
      'many-tools-mcp@1.0.0',
      '--name',
      NAME,
      '--npm-registry',
      registry.url,
      '--max-items',
      String(TOOLS),
    ],
    { cwd: project.root, env: { XDG_CACHE_HOME: join(project.root, 'cache') }, timeoutMs: 600_000 },
  );
  if (add.code !== 0) throw new Error(`add --tofu failed: ${add.stdout}${add.stderr}`);
  const env = { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: join(project.root, 'cache') } as Record<string, string>;
  const direct = resolveLockedServer(project.root, NAME, env).launch;
  if (direct.kind !== 'stdio') throw new Error('expected a stdio server');
  const samples = { server: [] as number[], proxy: [] as number[], direct: [] as number[], run: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    const arms = [
      async () => {
        const s = await session(
          direct.launch.command,
          direct.launch.args,
          { ...direct.launch.env } as never,
          direct.launch.cwd,
        );
        samples.server.push(s.self);
        samples.direct.push(s.ms);
      },
      async () => {
        const s = await session(process.execPath, runArgs(project, NAME, ['--max-items', String(TOOLS)]), env);
        samples.proxy.push(s.self);
        samples.run.push(s.ms);
      },
    ];
    for (let i = 0; i < arms.length; i++) await arms[(round + i) % arms.length]!();
  }
  report(
    'many-tools',
    [
      summarise(
        new Map([
          ['server on its own (peak RSS)', samples.server],
          ['mcp-lock run proxy (peak RSS)', samples.proxy],
        ]),
        { title: `Peak RSS with ${TOOLS} tools`, unit: 'MiB', rounds: ROUNDS },
      ),
      summarise(
        new Map([
          ['direct', samples.direct],
          ['mcp-lock run', samples.run],
        ]),
        { title: `connect, list ${TOOLS} tools, one call`, rounds: ROUNDS },
      ),
    ],
    [`Node ${process.version}; the server runs in the sandbox under run, unsandboxed direct`],
  );
} finally {
  await registry.close();
  if (process.env.BENCH_KEEP) console.log(`kept ${project.root}`);
  else project.cleanup();
}
