// `mcp-lock audit` as a user runs it: over the log a real `mcp-lock run` session wrote (calls counted by
// tool, the refused one by reason), over a log with hostile text (escaped on display) and a torn last
// line (counted, not fatal), in text and --json, and with a clear error when there is no log.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import {
  createProject,
  type LockedProject,
  plantScenarioServer,
  RawSession,
  runArgs,
} from '../helpers/locked-project.ts';

const NAME = 'io.github.mcp-lock-test/audited';
let project: LockedProject;

beforeAll(async () => {
  project = createProject();
  await plantScenarioServer(project, NAME, {
    era: 'handshake',
    pinned: {
      instructions: 'Hello.',
      tools: [{ name: 'ping_tool', description: 'Ping.', inputSchema: { type: 'object' } }],
    },
  });
  const s = new RawSession(runArgs(project, NAME));
  await s.initialize();
  for (let i = 0; i < 3; i++)
    expect((await s.request('tools/call', { name: 'ping_tool', arguments: { i } })).result).toBeDefined();
  expect((await s.request('tools/call', { name: 'not_pinned', arguments: {} })).error).toBeDefined();
  expect(await s.close()).toBe(0);
});

afterAll(() => project?.cleanup());

describe('mcp-lock audit', () => {
  it('summarises the log a real run wrote: calls by tool, the refused call by reason (--json)', async () => {
    const r = await runCli(['--json', 'audit', NAME, '-C', project.root], { cwd: project.root });
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.calls).toEqual({ total: 4, allowed: 3, blocked: 1 });
    expect(summary.tools[0]).toMatchObject({ tool: 'ping_tool', calls: 3, blocked: 0 });
    expect(summary.blockedCalls).toEqual([{ code: 'NOT_PINNED', reason: 'unpinned', count: 1 }]);
    expect(summary.sessions).toBe(1);
    expect(summary.servers).toEqual([NAME]);
    // Without a name: every server's log in the project.
    const all = JSON.parse((await runCli(['--json', 'audit', '-C', project.root], { cwd: project.root })).stdout);
    expect(all.calls.total).toBe(4);
  });

  it('escapes hostile text, counts a torn last line, and shows spikes and large payloads in text', async () => {
    const file = join(project.root, 'hostile.jsonl');
    const rec = (i: number, tool: string, extra = '') =>
      `{"time":"2026-12-03T13:01:${String(i % 60).padStart(2, '0')}.000Z","session":"s","server":"x","event":"call","decision":"allowed","tool":${JSON.stringify(tool)},"requestBytes":${i === 0 ? 5_000_000 : 10},"outcome":"result","durationMs":1${extra}}`;
    const lines = [rec(0, 'evil\u001b[2J\u202etool'), ...Array.from({ length: 130 }, (_, i) => rec(i + 1, 'echo'))];
    writeFileSync(file, `${lines.join('\n')}\n{"time":"2026-12-03T13:02`);
    const r = await runCli(['audit', '--file', file], { cwd: project.root });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/[\u001b\u202e]/);
    expect(r.stdout).toMatch(/tools\/call: 131 \(131 forwarded, 0 refused\)/);
    expect(r.stdout).toMatch(/2026-12-03T13:01 +131 calls \(most: echo\)/);
    expect(r.stdout).toMatch(/evil.*tool +5000000 bytes/);
    expect(r.stdout).toMatch(/skipped lines: 1 torn/);

    // Benign twin: with a higher spike threshold there is no spike.
    const quiet = await runCli(['audit', '--file', file, '--spike', '1000'], { cwd: project.root });
    expect(quiet.stdout).toMatch(/more than 1000 calls\):\n {2}none/);
  });

  it('explains a missing log and a bad option', async () => {
    const missing = await runCli(['--json', 'audit', 'io.github.nobody/none', '-C', project.root], {
      cwd: project.root,
    });
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout).error.code).toBe('FILE_NOT_FOUND');
    const bad = await runCli(['audit', NAME, '-C', project.root, '--spike', '0'], { cwd: project.root });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--spike must be a whole number/);
  });
});
