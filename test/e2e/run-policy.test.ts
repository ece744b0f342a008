// The runtime policy (mcp-lock.policy.json) as `mcp-lock run` applies it: an invalid policy refuses the
// start (exit 2, the bad field named, nothing reaches the server); a valid one is recorded in the audit
// log's session record; no policy file means the built-in defaults.

import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditRecords,
  createProject,
  type LockedProject,
  plantScenarioServer,
  RawSession,
  runArgs,
} from '../helpers/locked-project.ts';

const NAME = 'io.github.mcp-lock-test/policy';

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
});

afterAll(() => project?.cleanup());

const policyFile = () => join(project.root, 'mcp-lock.policy.json');

describe('mcp-lock run with a policy file', () => {
  it('refuses to start with an invalid policy: exit 2, the field named on stderr and to the client', async () => {
    writeFileSync(
      policyFile(),
      JSON.stringify({ policyVersion: 1, servers: { [NAME]: { results: { hiddenCharacters: 'strip' } } } }),
    );
    try {
      const session = new RawSession(runArgs(project, NAME));
      const init = await session.initialize();
      expect(init.error).toMatchObject({ data: { code: 'POLICY_INVALID' } });
      expect(init.error?.message).toContain('/servers/io.github.mcp-lock-test~1policy/results/hiddenCharacters');
      expect(await session.close()).toBe(2);
      expect(session.stderr).toMatch(/refusing to start .*POLICY_INVALID/);
    } finally {
      rmSync(policyFile(), { force: true });
    }
  });

  it('refuses a policy file that is not strict JSON (a duplicate key), exit 2', async () => {
    writeFileSync(policyFile(), '{"policyVersion":1,"policyVersion":1}');
    try {
      const session = new RawSession(runArgs(project, NAME));
      const init = await session.initialize();
      expect(init.error).toMatchObject({ data: { code: 'JSON_DUPLICATE_KEY' } });
      expect(await session.close()).toBe(2);
    } finally {
      rmSync(policyFile(), { force: true });
    }
  });

  it('benign twin: a valid policy starts the session and the audit log says which policy applies', async () => {
    writeFileSync(policyFile(), JSON.stringify({ policyVersion: 1, defaults: { limits: { callsPerMinute: 60 } } }));
    try {
      const session = new RawSession(runArgs(project, NAME));
      const init = await session.initialize();
      expect(init.result?.instructions).toBe('Hello.');
      expect(await session.close()).toBe(0);
      const sessions = auditRecords(project, NAME).filter((r) => r.event === 'session');
      expect(sessions.at(-1)?.policy).toBe('mcp-lock.policy.json');
    } finally {
      rmSync(policyFile(), { force: true });
    }
    const session = new RawSession(runArgs(project, NAME));
    expect((await session.initialize()).result?.instructions).toBe('Hello.');
    expect(await session.close()).toBe(0);
    expect(
      auditRecords(project, NAME)
        .filter((r) => r.event === 'session')
        .at(-1)?.policy,
    ).toBe('built-in defaults');
  });
});
