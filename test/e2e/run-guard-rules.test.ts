// The guard's rules for what a client may send, end to end through `mcp-lock run` and a planted scenario
// server: an over-long line (#10.4), requests smuggled as notifications (#10.5), calls to unknown tools
// (#11.9). Each has a benign twin that passes.

import { afterAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../core/json/strict-json.ts';
import {
  auditRecords,
  type Behaviour,
  createProject,
  type LockedProject,
  type PlantedServer,
  plantScenarioServer,
  RawSession,
  runArgs,
} from '../helpers/locked-project.ts';

const ECHO: JsonObject = {
  name: 'echo',
  description: 'Echo a message.',
  inputSchema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
};
const PINNED: Behaviour = {
  instructions: 'Be brief.',
  tools: [ECHO],
  prompts: [],
  resources: [],
  resourceTemplates: [],
};

const projects: LockedProject[] = [];
afterAll(() => {
  for (const p of projects) p.cleanup();
});

let serial = 0;
async function plant(): Promise<{ project: LockedProject; server: PlantedServer }> {
  const project = createProject();
  projects.push(project);
  const server = await plantScenarioServer(project, `io.github.mcp-lock-test/rules-${++serial}`, {
    era: 'handshake',
    pinned: structuredClone(PINNED),
  });
  return { project, server };
}

async function open(project: LockedProject, server: PlantedServer, extra: string[] = []): Promise<RawSession> {
  const session = new RawSession(runArgs(project, server.name, extra));
  const init = await session.initialize();
  expect(init.error, session.stderr).toBeUndefined();
  return session;
}

describe('a client line over --max-message-bytes', () => {
  it('is refused with LIMIT_EXCEEDED, audited, never reaches the server, and ends the session', async () => {
    const { project, server } = await plant();
    const session = await open(project, server, ['--max-message-bytes', '4096']);
    const ok = await session.request('tools/call', { name: 'echo', arguments: { message: 'x'.repeat(3000) } });
    expect(ok.error, 'benign twin: under the limit passes').toBeUndefined();
    session.send({
      jsonrpc: '2.0',
      id: 99,
      method: 'tools/call',
      params: { name: 'echo', arguments: { message: 'y'.repeat(10_000) } },
    });
    const refused = await session.waitFor((m) => m.id === null && m.error !== undefined, 15_000, 'the refusal');
    expect(refused.error).toMatchObject({ code: -32005, data: { code: 'LIMIT_EXCEEDED' } });
    expect(await session.exited).toBe(1);
    expect(session.stderr).toMatch(/BLOCKED a message from the client: a message is larger than 4096 bytes/);
    const calls = server.received().filter((r) => r.method === 'tools/call');
    expect(calls).toHaveLength(1);
    const records = auditRecords(project, server.name);
    expect(records).toContainEqual(
      expect.objectContaining({ event: 'client-message', decision: 'blocked', code: 'LIMIT_EXCEEDED' }),
    );
    expect(records).toContainEqual(expect.objectContaining({ event: 'stop', code: 'LIMIT_EXCEEDED' }));
  });
});

describe('a request sent as a notification (no id)', () => {
  it('is dropped and audited, never reaches the server; real notifications and requests pass', async () => {
    const { project, server } = await plant();
    const session = await open(project, server);
    session.notify('tools/call', { name: 'echo', arguments: { message: 'smuggled' } });
    session.notify('resources/read', { uri: 'file:///etc/passwd' });
    session.notify('notifications/roots/list_changed');
    const ok = await session.request('tools/call', { name: 'echo', arguments: { message: 'asked' } });
    expect(ok.error).toBeUndefined();
    expect(server.received().filter((r) => r.method !== 'initialize')).toEqual([
      expect.objectContaining({ method: 'tools/call', name: 'echo' }),
    ]);
    expect(session.stderr).toMatch(/dropped a message from the client: "tools\/call" is not a notification/);
    expect(await session.close()).toBe(0);
    const blocked = auditRecords(project, server.name).filter((r) => r.event === 'client-message');
    expect(blocked.map((r) => [r.decision, r.method])).toEqual([
      ['blocked', 'tools/call'],
      ['blocked', 'resources/read'],
    ]);
  });
});

describe('drift messages a person can act on', () => {
  it('a flood of 3000 unpinned tools prints a bounded summary; the audit log keeps every item', async () => {
    const { project, server } = await plant();
    server.update({ attack: { ...structuredClone(PINNED), flood: 3000 }, attackWhen: 'always' });
    const session = await open(project, server);
    const reply = await session.request('tools/list');
    expect(reply.error?.code).toBe(-32001);
    expect(await session.close()).toBe(1);
    const lines = session.stderr.split('\n').filter((l) => /BLOCKED tool "flood_\d+"/.test(l));
    expect(lines).toHaveLength(10);
    expect(session.stderr).toMatch(/… and 2990 more items blocked in tools\/list \(every one is in the audit log\)/);
    expect(session.stderr.split('\n').length).toBeLessThan(60);
    const items = auditRecords(project, server.name).filter((r) => r.event === 'item');
    expect(items).toHaveLength(3000);
  });

  it('changed long instructions show the region of the first difference, hidden characters visible', async () => {
    const long = `${'Search before you read a message. '.repeat(12)}Be brief.`;
    const project = createProject();
    projects.push(project);
    const planted = await plantScenarioServer(project, 'io.github.mcp-lock-test/rules-long', {
      era: 'handshake',
      pinned: { ...structuredClone(PINNED), instructions: long },
      attack: { ...structuredClone(PINNED), instructions: `${long}\u{E0053}\u{E0045}\u{E004E}\u{E0044}` },
      attackWhen: 'always',
    });
    const session = new RawSession(runArgs(project, planted.name));
    const init = await session.initialize();
    expect(init.error?.code).toBe(-32001);
    await session.close();
    expect(session.stderr).toMatch(/first difference at character 417/);
    expect(session.stderr).toMatch(/pinned: "…[^"\n]*Be brief\."\n/);
    expect(session.stderr).toMatch(/now: {4}"…[^"\n]*Be brief\.\\u\{E0053\}\\u\{E0045\}\\u\{E004E\}\\u\{E0044\}"/);
  });
});

describe('a call to an unknown tool', () => {
  it('gets -32602 and never reaches the server; a pinned tool is called', async () => {
    const { project, server } = await plant();
    const session = await open(project, server);
    const unknown = await session.request('tools/call', { name: 'exfiltrate', arguments: {} });
    expect(unknown.error).toMatchObject({ code: -32602, data: { code: 'NOT_PINNED' } });
    expect((await session.request('tools/call', { name: 'echo', arguments: { message: 'hi' } })).error).toBeUndefined();
    expect(
      server
        .received()
        .filter((r) => r.method === 'tools/call')
        .map((r) => r.name),
    ).toEqual(['echo']);
    expect(await session.close()).toBe(0);
  });
});
