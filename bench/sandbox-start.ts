// Benchmark: what the bubblewrap sandbox adds to a server's start. The real
// @modelcontextprotocol/server-everything is pinned with `add --tofu` (permissions: none, so it runs
// sandboxed) into a temporary project (npm registry needed), then started through `mcp-lock run` with the
// official MCP SDK client, interleaved: sandboxed, then `--no-sandbox` (the same guard, no sandbox), N
// times. Measures spawn → initialize → first tools/list. Prints min/median/max of each and of the
// difference, and the ratio; then the sandbox's own cost without the noise of a whole start: `node -e 0`
// bare and inside the same bwrap command line, interleaved. Not a test: nothing here asserts a timing. Target: ≤ +50 ms.
// Run: node bench/sandbox-start.ts [rounds=5] (about a minute with the install)

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostLayout } from '../adapters/sandbox/bwrap.ts';
import { planBwrap } from '../core/sandbox/bwrap-plan.ts';
import { connectSdk } from '../test/helpers/locked-project.ts';

const ROUNDS = Number(process.argv[2] ?? 5);
const SPEC = '@modelcontextprotocol/server-everything@2026.8.31';
const NAME = 'io.github.bench/everything';
const BIN = new URL('../bin/mcp-lock.js', import.meta.url).pathname;

function cli(project: string, args: string[]): void {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: project, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`mcp-lock ${args.join(' ')} failed: ${r.stderr}`);
}

async function startToList(project: string, extra: string[]): Promise<number> {
  const started = performance.now();
  const conn = await connectSdk({
    command: process.execPath,
    args: [BIN, 'run', NAME, '--project', project, ...extra],
    env: { ...(process.env as Record<string, string>), NO_COLOR: '1' },
  });
  await conn.client.listTools();
  const elapsed = performance.now() - started;
  await conn.close();
  return elapsed;
}

function summary(samples: number[]): { min: number; median: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { min: s[0]!, median: s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2, max: s[s.length - 1]! };
}

const fmt = (n: number) => n.toFixed(1).padStart(8);

/** `node -e 0` bare vs inside the planned sandbox, interleaved: the namespace and mount setup alone. */
function bareSandboxCost(rounds: number, installDir: string): string[] {
  const args = planBwrap({
    host: hostLayout(process.execPath),
    home: installDir,
    installDir,
    permissions: { read: [], write: [], network: [], subprocesses: true },
  });
  const time = (command: string, argv: string[]) => {
    const started = performance.now();
    const r = spawnSync(command, argv, { stdio: 'ignore', env: { PATH: '/usr/bin:/bin' } });
    if (r.status !== 0) throw new Error(`${command} failed`);
    return performance.now() - started;
  };
  const bare: number[] = [];
  const boxed: number[] = [];
  for (let i = 0; i < rounds; i++) {
    bare.push(time(process.execPath, ['-e', '0']));
    boxed.push(time('bwrap', [...args, '--', process.execPath, '-e', '0']));
  }
  const b = summary(bare);
  const x = summary(boxed);
  const d = summary(boxed.map((v, i) => v - bare[i]!));
  return [
    `node -e 0, ${rounds} interleaved rounds (ms)`,
    `${'bare'.padEnd(22)}${fmt(b.min)}${fmt(b.median)}${fmt(b.max)}`,
    `${'in the sandbox'.padEnd(22)}${fmt(x.min)}${fmt(x.median)}${fmt(x.max)}`,
    `${'added'.padEnd(22)}${fmt(d.min)}${fmt(d.median)}${fmt(d.max)}`,
    `${'ratio (medians)'.padEnd(22)}${(x.median / b.median).toFixed(3).padStart(8)}`,
    '',
  ];
}

async function main(): Promise<void> {
  const project = mkdtempSync(join(tmpdir(), 'mcp-lock-bench-sandbox-'));
  try {
    // First the sandbox's own cost (no npm needed), printed at once.
    process.stdout.write(`\n${bareSandboxCost(20, project).join('\n')}`);
    process.stderr.write(`Pinning ${SPEC} into ${project} …\n`);
    cli(project, ['init']);
    cli(project, ['add', '--tofu', SPEC, '--name', NAME]);
    // One of each first, so that neither side pays for a cold page cache.
    await startToList(project, []);
    await startToList(project, ['--no-sandbox']);
    const sandboxed: number[] = [];
    const plain: number[] = [];
    const added: number[] = [];
    process.stderr.write(`${ROUNDS} interleaved rounds …\n`);
    for (let i = 0; i < ROUNDS; i++) {
      const a = await startToList(project, []);
      const b = await startToList(project, ['--no-sandbox']);
      sandboxed.push(a);
      plain.push(b);
      added.push(a - b);
    }
    const s = summary(sandboxed);
    const p = summary(plain);
    const d = summary(added);
    const ratios = summary(sandboxed.map((a, i) => a / plain[i]!));
    process.stdout.write(
      [
        '',
        `run start → first tools/list, ${SPEC}, Node ${process.version}, ${ROUNDS} interleaved rounds (ms)`,
        `${''.padEnd(22)}${'min'.padStart(8)}${'median'.padStart(8)}${'max'.padStart(8)}`,
        `${'sandboxed (bwrap)'.padEnd(22)}${fmt(s.min)}${fmt(s.median)}${fmt(s.max)}`,
        `${'--no-sandbox'.padEnd(22)}${fmt(p.min)}${fmt(p.median)}${fmt(p.max)}`,
        `${'added per start'.padEnd(22)}${fmt(d.min)}${fmt(d.median)}${fmt(d.max)}`,
        `${'ratio'.padEnd(22)}${ratios.min.toFixed(3).padStart(8)}${ratios.median.toFixed(3).padStart(8)}${ratios.max.toFixed(3).padStart(8)}`,
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

await main();
