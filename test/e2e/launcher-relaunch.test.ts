// bin/mcp-lock.js on a Node it does not support (20, from the npm registry's node@20): it re-runs itself on
// the Node 24 this clone pins and becomes that process. SIGINT, SIGTERM and SIGHUP sent to the launcher reach
// the real mcp-lock, nothing is left running, and the launcher ends exactly as a direct run does (exit code or
// signal). Without a pinned Node it says what to install instead.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installNode } from '../helpers/node-release.ts';

const BIN = new URL('../../bin/mcp-lock.js', import.meta.url).pathname;
const NODE_20 = '20.20.2';

let work: string;
let node20: string;
const started: ChildProcess[] = [];
// The relaunched Node 24 processes: killed at the end even if a failing launcher left them behind.
const relaunchedPids: number[] = [];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mcp-lock-launcher-'));
  node20 = join(installNode(NODE_20, join(work, 'node20')), 'node');
}, 600_000);

afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const pid of relaunchedPids) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Processes whose parent is `pid`, zombies excluded (a zombie has already exited). */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid …; comm may contain spaces and parentheses, so split after the last ')'.
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(ppid) === pid && state !== 'Z') found.push(Number(entry));
  }
  return found;
}

function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Start `registry serve` on port 0 and resolve once it prints where it listens. */
function serve(node: string, data: string): Promise<ChildProcess> {
  const child = spawn(
    node,
    [BIN, 'registry', 'serve', '--port', '0', '--data', data, '--log-level', 'silent', '--json'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  started.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.setEncoding('utf8').on('data', (c: string) => {
      err += c;
    });
    child.stdout?.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      if (out.includes('"url"')) resolve(child);
    });
    child.once('exit', (code, signal) => reject(new Error(`registry serve ended (${code ?? signal}): ${err}`)));
  });
}

function ended(child: ChildProcess): Promise<Ended> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('the launcher on Node 20', () => {
  it('runs mcp-lock on the pinned Node 24 and hands back its output and exit code', () => {
    const version = spawnSync(node20, [BIN, '--version'], { encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(
      JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version,
    );
    // A failing command: exit code as the Node 24 run gives it, not 1 and not 0.
    const empty = join(work, 'empty');
    mkdirSync(empty);
    const direct = spawnSync(process.execPath, [BIN, 'verify', '-C', empty], { encoding: 'utf8' });
    const relaunched = spawnSync(node20, [BIN, 'verify', '-C', empty], { encoding: 'utf8' });
    expect(direct.status).not.toBe(0);
    expect(direct.status).not.toBe(1);
    expect(relaunched.status).toBe(direct.status);
    expect(relaunched.stderr).toBe(direct.stderr);
  });

  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)(
    'passes %s on to the Node 24 process, leaves nothing running, and ends as a direct run does',
    async (signal) => {
      const directServer = await serve(process.execPath, join(work, `direct-${signal}`));
      directServer.kill(signal);
      const direct = await ended(directServer);

      const launcher = await serve(node20, join(work, `relaunched-${signal}`));
      const pid = launcher.pid ?? 0;
      const [child, ...more] = childrenOf(pid);
      if (child !== undefined) relaunchedPids.push(child);
      expect(more).toEqual([]);
      expect(readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0')[0]).toMatch(/node_modules\/\.bin\/node$/);
      launcher.kill(signal);
      const relaunched = await ended(launcher);
      expect(isRunning(child ?? 0)).toBe(false);
      expect(relaunched).toEqual(direct);
    },
    60_000,
  );

  it('without a pinned Node 24, says which Node it needs and exits 2', () => {
    const alone = join(work, 'alone', 'bin');
    mkdirSync(alone, { recursive: true });
    copyFileSync(BIN, join(alone, 'mcp-lock.js'));
    const result = spawnSync(node20, [join(alone, 'mcp-lock.js'), '--version'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`error USAGE: mcp-lock needs Node.js 22.22+ or 24.15+, but this is v${NODE_20}.`);
    expect(result.stderr).toContain('hint: install Node 24 LTS');
  });
});
