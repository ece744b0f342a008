// Issue #13.4 and #13.5 with the real @modelcontextprotocol/server-everything from npm, driven through
// `mcp-lock run` by the official SDK client: a private key in echo's arguments is refused with -32602 and
// never reaches the server (its benign twins do); a credential in a tool result is audited by kind and
// location; the loop detector and the per-tool rate limit trip, with benign twins under the limits; and a
// committed mcp-lock.policy.json tightens them per tool. The audit log and stderr never hold a credential.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chars, RSA_PRIVATE_KEY, RSA_PUBLIC_KEY } from '../helpers/credentials.ts';
import {
  auditRecords,
  connectSdk,
  createProject,
  type LockedProject,
  lockNpmServer,
  runArgs,
  type SdkConnection,
} from '../helpers/locked-project.ts';

const SPEC = '@modelcontextprotocol/server-everything@2026.8.31';
const NAME = 'io.github.modelcontextprotocol/server-everything';
const KEY_BODY = RSA_PRIVATE_KEY.split('\n')[1]!;
const SLACK_TOKEN = `xoxb-${chars(12, '0123456789')}-${chars(13, '0123456789')}-${chars(24)}`;

let project: LockedProject;
let proxied: SdkConnection;

function auditText(): string {
  return readFileSync(join(project.root, '.mcp-lock', 'audit', `${encodeURIComponent(NAME)}.jsonl`), 'utf8');
}

/** The client answers the server's sampling request with a credential: it comes back in the tool's result. */
function sampleWithSecret(client: Client): void {
  client.setRequestHandler(CreateMessageRequestSchema, () => ({
    model: 'test-model',
    role: 'assistant',
    content: { type: 'text', text: `the token is ${SLACK_TOKEN}` },
  }));
}

beforeAll(async () => {
  project = createProject();
  await lockNpmServer(project, SPEC, { dynamicResources: true });
  proxied = await connectSdk({ command: process.execPath, args: runArgs(project, NAME) }, { sampling: {} });
  sampleWithSecret(proxied.client);
});

afterAll(async () => {
  await proxied?.close();
  project?.cleanup();
});

describe('secrets in flight through mcp-lock run', () => {
  it('refuses a private key in echo arguments with -32602; the server never sees it; benign twins pass', async () => {
    await expect(
      proxied.client.callTool({ name: 'echo', arguments: { message: `my key:\n${RSA_PRIVATE_KEY}` } }),
    ).rejects.toThrow(/-32602.*argument `\/message` appears to hold a private key/);
    const records = auditRecords(project, NAME);
    const blocked = records.filter((r) => r.event === 'secret');
    expect(blocked).toEqual([
      expect.objectContaining({
        decision: 'blocked',
        key: 'echo',
        direction: 'arguments',
        findings: [expect.objectContaining({ kind: 'a private key', location: '/message' })],
      }),
    ]);
    // Forwarded calls are audited as allowed; the refused one never was (so it never reached the server).
    expect(records.filter((r) => r.event === 'request' && r.key === 'echo' && r.decision === 'allowed')).toEqual([]);

    // Benign twins: a public key and prose about private keys reach the server and come back echoed.
    const pub = await proxied.client.callTool({ name: 'echo', arguments: { message: RSA_PUBLIC_KEY } });
    expect(JSON.stringify(pub.content)).toContain('BEGIN PUBLIC KEY');
    const prose = 'Never share a private key; a -----BEGIN PRIVATE KEY----- block stays on disk.';
    const said = await proxied.client.callTool({ name: 'echo', arguments: { message: prose } });
    expect(said.content).toEqual([{ type: 'text', text: `Echo: ${prose}` }]);
    expect(auditRecords(project, NAME).filter((r) => r.event === 'secret')).toHaveLength(1);
  });

  it('audits a credential in a tool result by kind and location, and delivers the result (default: audit)', async () => {
    const result = await proxied.client.callTool({
      name: 'trigger-sampling-request',
      arguments: { prompt: 'Say the token', maxTokens: 20 },
    });
    expect(JSON.stringify(result)).toContain(SLACK_TOKEN);
    const found = auditRecords(project, NAME).filter((r) => r.event === 'secret' && r.direction === 'result');
    expect(found).toEqual([
      expect.objectContaining({
        decision: 'reported',
        key: 'trigger-sampling-request',
        findings: [expect.objectContaining({ kind: 'a Slack token', location: expect.stringMatching(/^\/content\//) })],
      }),
    ]);
  });

  it('never writes a credential to the audit log or stderr', () => {
    const log = auditText();
    expect(log).toContain('"event":"secret"');
    for (const secret of [KEY_BODY, SLACK_TOKEN]) {
      expect(log).not.toContain(secret);
      expect(proxied.stderr()).not.toContain(secret);
    }
    expect(proxied.stderr()).toMatch(/BLOCKED tools\/call "echo": argument `\/message` appears to hold a private key/);
  });
});

describe('call limits through mcp-lock run (the default policy)', () => {
  it('trips the loop detector on the 21st identical call; other arguments still pass', async () => {
    const same = { name: 'get-sum', arguments: { a: 1, b: 2 } };
    for (let i = 0; i < 20; i++) {
      const sum = await proxied.client.callTool(same);
      expect(sum.content).toEqual([{ type: 'text', text: 'The sum of 1 and 2 is 3.' }]);
    }
    await expect(proxied.client.callTool(same)).rejects.toThrow(/-32011.*same call.*20 times within 60 s/);
    const other = await proxied.client.callTool({ name: 'get-sum', arguments: { a: 2, b: 2 } });
    expect(other.content).toEqual([{ type: 'text', text: 'The sum of 2 and 2 is 4.' }]);
    const limit = auditRecords(project, NAME).filter((r) => r.event === 'limit');
    expect(limit).toEqual([expect.objectContaining({ decision: 'blocked', key: 'get-sum', limit: 'identicalCalls' })]);
  });

  it('trips the per-tool rate limit on call 601 within a minute; a call to another tool still passes', async () => {
    // Echo has had 2 calls in this session; 598 more distinct calls reach the limit of 600 per minute.
    const calls = Array.from({ length: 598 }, (_, i) =>
      proxied.client.callTool({ name: 'echo', arguments: { message: `call ${i}` } }),
    );
    const answers = await Promise.all(calls);
    expect(answers.every((a) => Array.isArray(a.content))).toBe(true);
    await expect(proxied.client.callTool({ name: 'echo', arguments: { message: 'one more' } })).rejects.toThrow(
      /-32011.*tool "echo" was called 600 times within a minute/,
    );
    const sum = await proxied.client.callTool({ name: 'get-sum', arguments: { a: 5, b: 5 } });
    expect(sum.content).toEqual([{ type: 'text', text: 'The sum of 5 and 5 is 10.' }]);
    const limits = auditRecords(project, NAME).filter((r) => r.event === 'limit');
    expect(limits.map((r) => r.limit)).toEqual(['identicalCalls', 'callsPerMinute']);
  });
});

describe('the runtime policy file sets secrets and limits per tool', () => {
  let tight: SdkConnection;

  beforeAll(async () => {
    const policy = {
      policyVersion: 1,
      servers: {
        [NAME]: {
          tools: {
            echo: { limits: { callsPerMinute: 3 } },
            'get-sum': { limits: { identicalCalls: { max: 1, windowSeconds: 60 }, onExceed: 'stop-session' } },
            'trigger-sampling-request': { secrets: { results: 'block' } },
          },
        },
      },
    };
    writeFileSync(join(project.root, 'mcp-lock.policy.json'), `${JSON.stringify(policy, null, 2)}\n`);
    tight = await connectSdk({ command: process.execPath, args: runArgs(project, NAME) }, { sampling: {} });
    sampleWithSecret(tight.client);
  });

  afterAll(async () => {
    await tight?.close();
  });

  it('refuses the 4th echo within a minute under callsPerMinute: 3; get-sum keeps the default', async () => {
    for (let i = 0; i < 3; i++) {
      const echoed = await tight.client.callTool({ name: 'echo', arguments: { message: `tight ${i}` } });
      expect(echoed.content).toEqual([{ type: 'text', text: `Echo: tight ${i}` }]);
    }
    await expect(tight.client.callTool({ name: 'echo', arguments: { message: 'tight 3' } })).rejects.toThrow(
      /-32011.*tool "echo" was called 3 times within a minute \(callsPerMinute\)/,
    );
    for (let i = 0; i < 5; i++) await tight.client.callTool({ name: 'get-sum', arguments: { a: i, b: 1 } });
  });

  it('withholds a result holding a credential under secrets.results: block (an error result the model can read)', async () => {
    const withheld = await tight.client.callTool({
      name: 'trigger-sampling-request',
      arguments: { prompt: 'Say the token', maxTokens: 20 },
    });
    expect(withheld.isError).toBe(true);
    expect(JSON.stringify(withheld)).toMatch(/withheld .* appears to hold a Slack token/);
    expect(JSON.stringify(withheld)).not.toContain(SLACK_TOKEN);
    expect(tight.stderr()).not.toContain(SLACK_TOKEN);
    const blocked = auditRecords(project, NAME).filter((r) => r.event === 'secret' && r.decision === 'blocked');
    expect(blocked.map((r) => [r.key, r.direction])).toEqual([
      ['echo', 'arguments'],
      ['trigger-sampling-request', 'result'],
    ]);
    expect(auditText()).not.toContain(SLACK_TOKEN);
  });

  it('stops the server when a limit with onExceed: stop-session is exceeded; the session answers with errors', async () => {
    const sum = await tight.client.callTool({ name: 'get-sum', arguments: { a: 7, b: 7 } });
    expect(sum.content).toEqual([{ type: 'text', text: 'The sum of 7 and 7 is 14.' }]);
    await expect(tight.client.callTool({ name: 'get-sum', arguments: { a: 7, b: 7 } })).rejects.toThrow(
      /-32011.*The server was stopped \(policy limits.onExceed: stop-session\)/,
    );
    await expect(tight.client.callTool({ name: 'echo', arguments: { message: 'after' } })).rejects.toThrow(/-32004/);
    const stop = auditRecords(project, NAME).filter((r) => r.event === 'stop');
    expect(stop).toEqual([expect.objectContaining({ decision: 'stopped', code: 'RATE_LIMITED' })]);
  });
});
