// The audit log is written in batches, off the message path, and loses nothing: every call answered
// through `mcp-lock run` has its `call` record on disk after a clean exit, after the server crashed, and
// after mcp-lock itself got SIGTERM or SIGINT right after the last answer (the records are still queued
// in memory then). Each record holds the tool, an argument digest, never the argument values.

import { readdirSync, readFileSync } from 'node:fs';
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

const NAME = 'io.github.mcp-lock-test/durable';
const CALLS = 60;
const SECRET = 'do-not-log-this-value';

let project: LockedProject;
let server: PlantedServer;

beforeAll(async () => {
  project = createProject();
  server = await plantScenarioServer(project, NAME, {
    era: 'handshake',
    pinned: {
      instructions: 'Hello.',
      tools: [
        {
          name: 'ping_tool',
          description: 'Ping.',
          inputSchema: { type: 'object', properties: { n: { type: 'number' }, note: { type: 'string' } } },
        },
      ],
    },
  });
});

afterAll(() => project?.cleanup());

function serverPid(): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(server.scenarioPath)) return Number(entry);
    } catch {
      // gone already
    }
  }
  return undefined;
}

/** Start run, make CALLS calls (the last ones pipelined, so several end in the same batch), then `end`. */
async function session(log: string, end: (s: RawSession) => void | Promise<void>): Promise<Record<string, unknown>[]> {
  const s = new RawSession(runArgs(project, NAME, ['--audit-log', log]));
  await s.initialize();
  for (let n = 0; n < CALLS / 2; n++) {
    const r = await s.request('tools/call', { name: 'ping_tool', arguments: { n, note: SECRET } });
    expect(r.result).toBeDefined();
  }
  const rest = Array.from({ length: CALLS / 2 }, (_, i) =>
    s.request('tools/call', { name: 'ping_tool', arguments: { n: CALLS / 2 + i, note: SECRET } }),
  );
  for (const r of await Promise.all(rest)) expect(r.result).toBeDefined();
  await end(s);
  await s.exited;
  const text = readFileSync(log, 'utf8');
  expect(text).not.toContain(SECRET);
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

const calls = (records: Record<string, unknown>[]) => records.filter((r) => r.event === 'call');

describe('audit records survive every way `run` ends', () => {
  it('a clean exit (the client closes stdin): every call, then session-end', async () => {
    const log = join(project.root, 'clean.jsonl');
    const records = await session(log, (s) => {
      s.child.stdin.end();
    });
    const ended = calls(records);
    expect(ended).toHaveLength(CALLS);
    expect(new Set(ended.map((r) => (r as { argumentsDigest: string }).argumentsDigest)).size).toBe(CALLS);
    for (const r of ended) {
      expect(r).toMatchObject({ tool: 'ping_tool', decision: 'allowed', outcome: 'result', server: NAME });
      expect(r.argumentsDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(typeof r.durationMs).toBe('number');
      expect(r.resultBytes).toBeGreaterThan(0);
      expect(r.requestBytes).toBeGreaterThan(0);
    }
    expect(records.at(-1)?.event).toBe('session-end');
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} to mcp-lock run right after the last answer`, async () => {
      const log = join(project.root, `${signal}.jsonl`);
      const records = await session(log, (s) => {
        s.child.kill(signal);
      });
      expect(calls(records)).toHaveLength(CALLS);
      expect(records.filter((r) => r.event === 'session')).toHaveLength(1);
    });
  }

  it('a crash of the server: every call, and the server exit', async () => {
    const log = join(project.root, 'crash.jsonl');
    const records = await session(log, () => {
      const pid = serverPid();
      expect(pid).toBeDefined();
      process.kill(pid!, 'SIGKILL');
    });
    expect(calls(records)).toHaveLength(CALLS);
    expect(records.some((r) => r.event === 'server-exit')).toBe(true);
  });
});
