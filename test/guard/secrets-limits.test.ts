// Issue #13.4 and #13.5 through the pure guard: a credential in tools/call arguments is refused with -32602
// (the server never sees it) or only audited, as the settings say; a credential in a result is audited or
// withheld; the call limits refuse (or stop the session); and no effect ever carries the credential.

import { describe, expect, it } from 'vitest';
import type { LimitSettings, McpLockPolicy, SecretSettings } from '../../core/generated/policy.ts';
import type { GuardEffect } from '../../core/guard/guard.ts';
import type { JsonObject } from '../../core/json/strict-json.ts';
import { resolveServerPolicy } from '../../core/policy/resolve-policy.ts';
import { chars, RSA_PRIVATE_KEY, RSA_PUBLIC_KEY } from '../helpers/credentials.ts';
import {
  audits,
  ECHO,
  errorOf,
  notices,
  openedGuard,
  req,
  res,
  stops,
  toClient,
  toServer,
} from '../helpers/guard-harness.ts';

/** A real runtime policy (core/policy), resolved for the test server, with these defaults. */
function policy(secrets: SecretSettings = {}, limits: LimitSettings = {}, tools: McpLockPolicy['servers'] = {}) {
  return resolveServerPolicy({ policyVersion: 1, defaults: { secrets, limits }, servers: tools }, SERVER);
}

const SERVER = 'io.github.test/server';
const call = (id: number, message: string) => req(id, 'tools/call', { name: 'echo', arguments: { message } });

/** Nothing a decision produced (to the client, the server, the audit log or stderr) holds the text. */
function expectNowhere(effects: GuardEffect[], secret: string): void {
  const all = JSON.stringify(
    effects.map((e) => (e.type === 'client' || e.type === 'server' ? { ...e, line: String(e.line) } : e)),
  );
  expect(all).not.toContain(secret);
}

describe('credentials in tools/call arguments', () => {
  it('are refused with -32602 by default, never forwarded, and audited by kind and location only', () => {
    const g = openedGuard();
    const effects = g.fromClient(call(1, `here is my key:\n${RSA_PRIVATE_KEY}`));
    expect(toServer(effects)).toEqual([]);
    const answer = errorOf(toClient(effects)[0]);
    expect(answer.code).toBe(-32602);
    expect(answer.message).toContain('argument `/message` appears to hold a private key');
    expect(answer.data).toMatchObject({ code: 'SECRET_DETECTED', tool: 'echo' });
    expect(audits(effects)).toEqual([
      expect.objectContaining({
        event: 'secret',
        decision: 'blocked',
        key: 'echo',
        direction: 'arguments',
        findings: [{ kind: 'a private key', rule: expect.any(String), location: '/message' }],
        reason: 'tools/call "echo" argument `/message` appears to hold a private key',
      }),
    ]);
    expect(notices(effects).join('\n')).toMatch(
      /BLOCKED tools\/call "echo": argument `\/message` appears to hold a private key/,
    );
    // The key body never appears; the request line itself is not an effect.
    expectNowhere(effects, RSA_PRIVATE_KEY.split('\n')[1]!);
    expect(stops(effects)).toEqual([]);
  });

  it('pass untouched when they only look like one (a public key, prose about private keys)', () => {
    const g = openedGuard();
    for (const [id, text] of [
      [1, RSA_PUBLIC_KEY],
      [2, 'Keep the private key offline: -----BEGIN PRIVATE KEY----- blocks never go in chat.'],
    ] as const) {
      const effects = g.fromClient(call(id, text));
      expect(toServer(effects)).toHaveLength(1);
      expect(toClient(effects)).toEqual([]);
      expect(audits(effects).map((a) => a.event)).toEqual(['request']);
    }
  });

  it('are forwarded and audited when secrets.arguments is audit, and not scanned when off', () => {
    const token = `ghp_${chars(36)}`;
    const audited = openedGuard({ policy: policy({ arguments: 'audit' }) }).fromClient(call(1, token));
    expect(toServer(audited)).toHaveLength(1);
    expect(audits(audited)[0]).toMatchObject({ event: 'secret', decision: 'reported', direction: 'arguments' });
    expect(JSON.stringify([audits(audited), notices(audited)])).not.toContain(token);
    const off = openedGuard({ policy: policy({ arguments: 'off' }) }).fromClient(call(1, token));
    expect(toServer(off)).toHaveLength(1);
    expect(audits(off).map((a) => a.event)).toEqual(['request']);
  });
});

describe('credentials in results', () => {
  const result = (text: string) => ({ content: [{ type: 'text', text }] });

  it('are audited by default and delivered unchanged', () => {
    const g = openedGuard();
    g.fromClient(call(1, 'show the config'));
    const token = `xoxb-${chars(12, '0123456789')}-${chars(13, '0123456789')}-${chars(24)}`;
    const line = res(1, result(`SLACK_TOKEN=${token}`));
    const effects = g.fromServer(line);
    expect(toClient(effects)).toEqual([JSON.parse(line)]);
    expect(audits(effects)).toEqual([
      expect.objectContaining({
        event: 'secret',
        decision: 'reported',
        kind: 'tools',
        key: 'echo',
        direction: 'result',
        findings: [{ kind: 'a Slack token', rule: expect.any(String), location: '/content/0/text' }],
      }),
    ]);
    expect(JSON.stringify([audits(effects), notices(effects)])).not.toContain(token);
  });

  it('are withheld when secrets.results is block: a tool gets an error result, a resource read an error', () => {
    const g = openedGuard({ policy: policy({ results: 'block' }) });
    g.fromClient(call(1, 'show the key'));
    const effects = g.fromServer(res(1, result(RSA_PRIVATE_KEY)));
    const answer = toClient(effects)[0]!;
    expect(answer.result).toMatchObject({ isError: true });
    expect(JSON.stringify(answer)).toMatch(/withheld .* appears to hold a private key/);
    expectNowhere(effects, RSA_PRIVATE_KEY.split('\n')[1]!);

    g.fromClient(req(2, 'resources/read', { uri: 'notes://index' }));
    const read = g.fromServer(res(2, { contents: [{ uri: 'notes://index', text: RSA_PRIVATE_KEY }] }));
    expect(errorOf(toClient(read)[0])).toMatchObject({ code: -32010, data: { code: 'SECRET_DETECTED' } });
    // Benign twin: an ordinary result passes byte for byte.
    g.fromClient(call(3, 'hi'));
    const ok = res(3, result('Echo: hi'));
    expect(toClient(g.fromServer(ok))).toEqual([JSON.parse(ok)]);
  });
});

describe('credentials in prompt messages', () => {
  it('are audited under the server-level policy (prompts/get names no tool)', () => {
    const g = openedGuard({}, { prompts: [{ name: 'greet', description: 'Say hello.' }] });
    g.fromClient(req(1, 'prompts/get', { name: 'greet' }));
    const token = `sk_live_${chars(24)}`;
    const messages = [{ role: 'user', content: { type: 'text', text: `use ${token}` } }];
    const effects = g.fromServer(res(1, { messages }));
    expect(toClient(effects)[0]?.result).toEqual({ messages });
    expect(audits(effects)).toEqual([
      expect.objectContaining({
        event: 'secret',
        decision: 'reported',
        method: 'prompts/get',
        findings: [expect.objectContaining({ kind: 'a Stripe key', location: '/messages/0/content/text' })],
      }),
    ]);
    expect(JSON.stringify([audits(effects), notices(effects)])).not.toContain(token);
  });
});

describe('call limits', () => {
  it('refuse the call over callsPerMinute with -32011, audited; the window slides on the injected clock', () => {
    const clock = { t: 0 };
    const g = openedGuard({ now: () => clock.t, policy: policy({}, { callsPerMinute: 2 }) });
    expect(toServer(g.fromClient(call(1, 'a')))).toHaveLength(1);
    expect(toServer(g.fromClient(call(2, 'b')))).toHaveLength(1);
    const third = g.fromClient(call(3, 'c'));
    expect(toServer(third)).toEqual([]);
    expect(errorOf(toClient(third)[0])).toMatchObject({
      code: -32011,
      data: { code: 'RATE_LIMITED', limit: 'callsPerMinute', max: 2 },
    });
    expect(audits(third)[0]).toMatchObject({ event: 'limit', decision: 'blocked', limit: 'callsPerMinute' });
    clock.t = 60_000;
    expect(toServer(g.fromClient(call(4, 'd')))).toHaveLength(1);
  });

  it('follow the policy per tool: a tool-level callsPerMinute, the server-level serverCallsPerMinute', () => {
    const clock = { t: 0 };
    const tools: McpLockPolicy['servers'] = {
      [SERVER]: { limits: { serverCallsPerMinute: 3 }, tools: { echo: { limits: { callsPerMinute: 1 } } } },
    };
    const g = openedGuard(
      { now: () => clock.t, policy: policy({}, {}, tools) },
      { tools: [ECHO, { ...ECHO, name: 'shout' }] },
    );
    const named = (id: number, name: string) => req(id, 'tools/call', { name, arguments: { message: `m${id}` } });
    expect(toServer(g.fromClient(named(1, 'echo')))).toHaveLength(1);
    expect(errorOf(toClient(g.fromClient(named(2, 'echo')))[0]).data).toMatchObject({
      limit: 'callsPerMinute',
      max: 1,
    });
    expect(toServer(g.fromClient(named(3, 'shout')))).toHaveLength(1);
    expect(toServer(g.fromClient(named(4, 'shout')))).toHaveLength(1);
    expect(errorOf(toClient(g.fromClient(named(5, 'shout')))[0]).data).toMatchObject({
      limit: 'serverCallsPerMinute',
      max: 3,
    });
  });

  it('refuse a loop of identical calls, while the same tool with other arguments passes', () => {
    const g = openedGuard({ now: () => 0, policy: policy({}, { identicalCalls: { max: 2, windowSeconds: 60 } }) });
    g.fromClient(call(1, 'same'));
    g.fromClient(call(2, 'same'));
    const loop = g.fromClient(call(3, 'same'));
    expect(errorOf(toClient(loop)[0]).data).toMatchObject({ limit: 'identicalCalls' });
    expect(toServer(g.fromClient(call(4, 'different')))).toHaveLength(1);
  });

  it('refuse arguments over maxArgumentBytes with LIMIT_EXCEEDED before scanning them', () => {
    const g = openedGuard({ policy: policy({}, { maxArgumentBytes: 100 }) });
    const big = g.fromClient(call(1, 'x'.repeat(200)));
    expect(errorOf(toClient(big)[0]).data).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      limit: 'maxArgumentBytes',
      max: 100,
    });
    expect(toServer(g.fromClient(call(2, 'x'.repeat(50))))).toHaveLength(1);
  });

  it('refuse arguments with more strings than the scan reads when secrets.arguments is block (fail closed)', () => {
    const g = openedGuard({ secretScan: { maxStrings: 3 } });
    const many = (id: number, n: number) =>
      req(id, 'tools/call', {
        name: 'echo',
        arguments: { message: 'm', extra: Array(n).fill('a string long enough') },
      });
    const refused = g.fromClient(many(1, 4));
    expect(toServer(refused)).toEqual([]);
    expect(errorOf(toClient(refused)[0]).data).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'secretScan' });
    expect(toServer(g.fromClient(many(2, 3)))).toHaveLength(1);
    const audited = openedGuard({ secretScan: { maxStrings: 3 }, policy: policy({ arguments: 'audit' }) });
    const passed = audited.fromClient(many(3, 4));
    expect(toServer(passed)).toHaveLength(1);
    expect(audits(passed)[0]).toMatchObject({ event: 'secret-scan', decision: 'reported', unscanned: 20 });
  });

  it('stop the session when onExceed is stop-session', () => {
    const g = openedGuard({ now: () => 0, policy: policy({}, { callsPerMinute: 1, onExceed: 'stop-session' }) });
    g.fromClient(call(1, 'a'));
    const over = g.fromClient(call(2, 'b'));
    expect(stops(over)).toEqual([expect.objectContaining({ code: 'RATE_LIMITED' })]);
    expect(errorOf(toClient(over)[0]).message).toMatch(/The server was stopped/);
    // In-flight call 1 was answered with the stop; later calls are refused as stopped.
    expect(toClient(over).map((m) => (m.error as JsonObject).code)).toContain(-32004);
    expect(errorOf(toClient(g.fromClient(call(3, 'c')))[0]).code).toBe(-32004);
  });
});
