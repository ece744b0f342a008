// `mcp-lock run` as a client launches it: from any directory (--project or $MCP_LOCK_PROJECT), with the audit
// log where the user says, stdout reserved for JSON-RPC even when it refuses to start, and no server left
// behind when the client goes away or kills it.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProject,
  type LockedProject,
  type PlantedServer,
  plantScenarioServer,
  RawSession,
  runArgs,
} from '../helpers/locked-project.ts';

const BIN = new URL('../../bin/mcp-lock.js', import.meta.url).pathname;
const NAME = 'io.github.mcp-lock-test/cli';

let project: LockedProject;
let server: PlantedServer;
let elsewhere: string;

beforeAll(async () => {
  project = createProject();
  server = await plantScenarioServer(project, NAME, {
    era: 'handshake',
    pinned: {
      instructions: 'Hello.',
      tools: [{ name: 'ping_tool', description: 'Ping.', inputSchema: { type: 'object' } }],
    },
  });
  elsewhere = mkdtempSync(join(tmpdir(), 'mcp-lock-elsewhere-'));
});

afterAll(() => {
  project?.cleanup();
  if (elsewhere) rmSync(elsewhere, { recursive: true, force: true });
});

/** Processes whose command line mentions this scenario (the planted server is started with its path). */
function serverProcesses(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(server.scenarioPath)) pids.push(Number(entry));
    } catch {
      // gone already
    }
  }
  return pids;
}

async function eventually(check: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe('mcp-lock run from a client', () => {
  it('finds the project through $MCP_LOCK_PROJECT from any working directory, and logs where --audit-log says', async () => {
    const log = join(elsewhere, 'audit.jsonl');
    const session = new RawSession([BIN, 'run', NAME, '--audit-log', log], {
      ...process.env,
      MCP_LOCK_PROJECT: project.root,
    });
    const init = await session.initialize();
    expect(init.result?.instructions).toBe('Hello.');
    expect((await session.request('tools/call', { name: 'ping_tool', arguments: {} })).result).toBeDefined();
    expect(await session.close()).toBe(0);
    const records = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.map((r) => r.event)).toEqual(['session', 'instructions', 'request', 'call', 'session-end']);
    expect(new Set(records.map((r) => r.session)).size).toBe(1);
    expect(existsSync(join(project.root, '.mcp-lock', 'audit', `${encodeURIComponent(NAME)}.jsonl`))).toBe(false);
  });

  it('refuses a server that is not pinned: the reason on stderr and as the answer to initialize, never on stdout alone', async () => {
    const session = new RawSession([BIN, '--json', 'run', 'io.github.nobody/nothing', '--project', project.root]);
    const init = await session.initialize();
    expect(init.error).toMatchObject({ code: -32008, data: { code: 'NOT_FOUND' } });
    expect(init.error?.message).toMatch(/io\.github\.nobody\/nothing is not in mcp-lock\.json/);
    expect(await session.close()).toBe(2);
    // Every stdout line was JSON-RPC (RawSession parses each one); the human text went to stderr.
    expect(session.stdoutLines).toHaveLength(1);
    expect(session.stderr).toMatch(/refusing to start io\.github\.nobody\/nothing: NOT_FOUND/);
    expect(session.stderr).toMatch(/hint: Pinned servers: io\.github\.mcp-lock-test\/cli/);
  });

  it('rejects bad options with exit 2 and nothing on stdout', async () => {
    for (const args of [
      ['--on-drift', 'warn'],
      ['--timeout', '0'],
    ]) {
      const session = new RawSession([...runArgs(project, NAME), ...args]);
      session.child.stdin.end();
      expect(await session.exited).toBe(2);
      expect(session.stdoutLines).toEqual([]);
      expect(session.stderr).toMatch(/USAGE/);
    }
  });

  it('stops the server when the client closes stdin, and when the client kills mcp-lock run', async () => {
    const first = new RawSession(runArgs(project, NAME));
    await first.initialize();
    expect(serverProcesses().length).toBe(1);
    expect(await first.close()).toBe(0);
    expect(await eventually(() => serverProcesses().length === 0)).toBe(true);

    const second = new RawSession(runArgs(project, NAME));
    await second.initialize();
    expect(serverProcesses().length).toBe(1);
    second.child.kill('SIGTERM');
    await second.exited;
    expect(await eventually(() => serverProcesses().length === 0)).toBe(true);
  });

  it('explains itself in --help', async () => {
    const help = spawnSync(process.execPath, [BIN, 'run', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    const text = help.stdout;
    for (const flag of [
      '--project',
      '--on-drift',
      '--audit-log',
      '--allow-shadowing',
      '--timeout',
      '--max-message-bytes',
    ]) {
      expect(text).toContain(flag);
    }
    expect(text).toMatch(/MCP_LOCK_PROJECT/);
  });
});
