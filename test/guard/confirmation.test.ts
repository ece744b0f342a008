// Issue #13.6 in the pure guard: a sensitive tools/call (by its PINNED annotations) is held until the
// client's person confirms it through the guard's own elicitation/create; decline, cancel, an unreadable
// answer and a timeout refuse it, and the server never sees a refused call. Benign twins: a read-only
// tool goes straight through without a question, and so does any call when the policy says "never".

import { describe, expect, it } from 'vitest';
import {
  type ConfirmSettings,
  confirmationReason,
  DEFAULT_CONFIRM,
  declaresFormElicitation,
  readConfirmationAnswer,
  sensitivityOf,
  shownArguments,
} from '../../core/guard/confirmation.ts';
import { Guard, type GuardEffect, type GuardOptions } from '../../core/guard/guard.ts';
import { pinnedSurface } from '../../core/guard/pinned-surface.ts';
import type { JsonObject } from '../../core/json/strict-json.ts';
import { audits, errorOf, note, req, res, testSurface, toClient, toServer } from '../helpers/guard-harness.ts';

const DELETE: JsonObject = {
  name: 'delete_file',
  inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  annotations: { destructiveHint: true },
};
const FETCH: JsonObject = {
  name: 'fetch',
  inputSchema: { type: 'object', properties: { url: { type: 'string' } } },
  annotations: { readOnlyHint: false, openWorldHint: true },
};
const READ: JsonObject = {
  name: 'read_file',
  inputSchema: { type: 'object', properties: { path: { type: 'string' } } },
  annotations: { readOnlyHint: true, openWorldHint: true },
};

function guardFor(capabilities: JsonObject, options: Partial<GuardOptions> = {}): Guard {
  const g = new Guard({
    server: 'io.github.test/files',
    surface: pinnedSurface(testSurface({ tools: [DELETE, FETCH, READ], instructions: null })),
    onDrift: 'block',
    ...options,
  });
  g.fromClient(
    req(0, 'initialize', { protocolVersion: '2025-11-25', capabilities, clientInfo: { name: 'c', version: '1' } }),
  );
  g.fromServer(res(0, { protocolVersion: '2025-11-25', capabilities: {} }));
  g.fromClient(note('notifications/initialized'));
  return g;
}

const ELICITING = { elicitation: { form: {} } };
const call = (id: number, name: string, args: JsonObject) => req(id, 'tools/call', { name, arguments: args });

function askOf(effects: GuardEffect[]): JsonObject {
  const ask = toClient(effects).find((m) => m.method === 'elicitation/create');
  expect(ask, 'an elicitation/create to the client').toBeDefined();
  return ask!;
}

describe('which calls need a person (pinned annotations)', () => {
  it('destructive, or not read-only and open-world; never from missing or read-only hints', () => {
    expect(sensitivityOf(DELETE)).toMatch(/destructive/);
    expect(sensitivityOf(FETCH)).toMatch(/open world/);
    expect(sensitivityOf(READ)).toBeNull();
    expect(sensitivityOf({ name: 'x', inputSchema: {} })).toBeNull();
    expect(sensitivityOf({ name: 'x', annotations: { openWorldHint: false } })).toBeNull();
    expect(sensitivityOf({ name: 'x', annotations: { destructiveHint: 'true' } })).toBeNull();
  });

  it('the policy can ask always or never', () => {
    const always: ConfirmSettings = { ...DEFAULT_CONFIRM, when: 'always' };
    const never: ConfirmSettings = { ...DEFAULT_CONFIRM, when: 'never' };
    expect(confirmationReason(always, READ)).toMatch(/every call/);
    expect(confirmationReason(never, DELETE)).toBeNull();
  });

  it('reads form elicitation from initialize in both spec versions; URL-only cannot show a form', () => {
    expect(declaresFormElicitation({ capabilities: { elicitation: {} } })).toBe(true);
    expect(declaresFormElicitation({ capabilities: { elicitation: { form: {}, url: {} } } })).toBe(true);
    expect(declaresFormElicitation({ capabilities: { elicitation: { url: {} } } })).toBe(false);
    expect(declaresFormElicitation({ capabilities: {} })).toBe(false);
    expect(declaresFormElicitation(undefined)).toBe(false);
  });

  it('reads the answer: only accept with confirm true confirms', () => {
    const r = (result: JsonObject) => readConfirmationAnswer({ jsonrpc: '2.0', id: 'x', result });
    expect(r({ action: 'accept', content: { confirm: true } }).verdict).toBe('confirmed');
    expect(r({ action: 'accept', content: { confirm: false } }).verdict).toBe('declined');
    expect(r({ action: 'accept', content: { confirm: 'yes' } }).verdict).toBe('invalid');
    expect(r({ action: 'accept' }).verdict).toBe('invalid');
    expect(r({ action: 'decline' }).verdict).toBe('declined');
    expect(r({ action: 'cancel' }).verdict).toBe('cancelled');
    expect(r({ action: 'sure' }).verdict).toBe('invalid');
    expect(readConfirmationAnswer({ jsonrpc: '2.0', id: 'x', error: { code: -1, message: 'no' } }).verdict).toBe(
      'invalid',
    );
  });

  it('shows the arguments with hidden characters visible, and bounded', () => {
    expect(shownArguments({ path: 'a\u202Eb\u{E0041}' })).toContain('a\\u{202E}b\\u{E0041}');
    const long = shownArguments({ data: 'x'.repeat(10_000) });
    expect(long.length).toBeLessThan(4200);
    expect(long).toMatch(/more characters not shown/);
    expect(shownArguments({ name: 'Crème 東京 👨‍👩‍👧' })).toContain('Crème 東京');
  });
});

describe('the confirmation round trip', () => {
  it('holds a destructive call, asks with server, tool and visible arguments, and forwards on yes', () => {
    const g = guardFor(ELICITING);
    const held = g.fromClient(call(7, 'delete_file', { path: '/tmp/x\u200B' }));
    expect(toServer(held)).toEqual([]);
    const ask = askOf(held);
    expect(ask.id).toMatch(/^mcp-lock-guard-/);
    const params = ask.params as { message: string; requestedSchema: JsonObject };
    expect(params.message).toContain('io.github.test/files');
    expect(params.message).toContain('delete_file');
    expect(params.message).toContain('/tmp/x\\u{200B}');
    expect(params.requestedSchema).toMatchObject({
      type: 'object',
      properties: { confirm: { type: 'boolean' } },
      required: ['confirm'],
    });
    expect(held.some((e) => e.type === 'setTimer' && e.ms === 120_000)).toBe(true);
    const yes = g.fromClient(res(ask.id as string, { action: 'accept', content: { confirm: true } }));
    expect(toServer(yes)).toEqual([
      {
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/call',
        params: { name: 'delete_file', arguments: { path: '/tmp/x\u200B' } },
      },
    ]);
    expect(audits(yes).map((a) => a.decision)).toEqual(['confirmed', 'allowed']);
    expect(yes.some((e) => e.type === 'clearTimer')).toBe(true);
    // The server's answer reaches the client as usual.
    const answer = g.fromServer(res(7, { content: [{ type: 'text', text: 'deleted' }] }));
    expect(toClient(answer)).toEqual([
      { jsonrpc: '2.0', id: 7, result: { content: [{ type: 'text', text: 'deleted' }] } },
    ]);
  });

  for (const [label, answer, verdict] of [
    ['decline', { action: 'decline' }, 'declined'],
    ['cancel', { action: 'cancel' }, 'cancelled'],
    ['accept without yes', { action: 'accept', content: { confirm: false } }, 'declined'],
    ['accept with junk', { action: 'accept', content: { other: true } }, 'invalid'],
  ] as const) {
    it(`refuses the call on ${label}; the server never sees it`, () => {
      const g = guardFor(ELICITING);
      const ask = askOf(g.fromClient(call(8, 'fetch', { url: 'https://example.com' })));
      const no = g.fromClient(res(ask.id as string, answer));
      expect(toServer(no)).toEqual([]);
      const err = errorOf(toClient(no)[0]);
      expect(err.code).toBe(-32012);
      expect(err.message).toMatch(/not confirmed/);
      expect(err.data).toMatchObject({ code: 'CONFIRMATION_DECLINED', tool: 'fetch', verdict });
      expect(audits(no)).toContainEqual(expect.objectContaining({ event: 'confirm', decision: 'declined' }));
    });
  }

  it('a timeout is a decline, and the question is withdrawn', () => {
    const g = guardFor(ELICITING, { confirmFor: () => ({ ...DEFAULT_CONFIRM, timeoutSeconds: 2 }) });
    const held = g.fromClient(call(9, 'delete_file', { path: '/x' }));
    const timer = held.find((e) => e.type === 'setTimer') as { key: string; ms: number };
    expect(timer.ms).toBe(2000);
    const late = g.timeout(timer.key);
    const [cancel, err] = toClient(late);
    expect(cancel).toMatchObject({ method: 'notifications/cancelled', params: { requestId: askOf(held).id } });
    expect(errorOf(err)).toMatchObject({ code: -32012, data: { verdict: 'timeout' } });
    // A late answer is dropped and never reaches the server.
    const after = g.fromClient(res(askOf(held).id as string, { action: 'accept', content: { confirm: true } }));
    expect(toServer(after)).toEqual([]);
    expect(audits(after)).toContainEqual(expect.objectContaining({ decision: 'dropped' }));
  });

  it('benign twin: a read-only tool is forwarded at once, without a question', () => {
    const g = guardFor(ELICITING);
    const effects = g.fromClient(call(10, 'read_file', { path: '/x' }));
    expect(toClient(effects)).toEqual([]);
    expect(toServer(effects)).toHaveLength(1);
  });

  it('benign twin: when the policy says never, a destructive call is forwarded without a question', () => {
    const g = guardFor(ELICITING, { confirmFor: () => ({ ...DEFAULT_CONFIRM, when: 'never' }) });
    expect(toServer(g.fromClient(call(11, 'delete_file', { path: '/x' })))).toHaveLength(1);
  });

  it('a client without elicitation: allowed and audited by default, refused when the policy denies', () => {
    const allow = guardFor({});
    const a = allow.fromClient(call(12, 'delete_file', { path: '/x' }));
    expect(toServer(a)).toHaveLength(1);
    expect(audits(a)).toContainEqual(expect.objectContaining({ event: 'confirm', decision: 'allowed' }));
    const deny = guardFor(
      { elicitation: { url: {} } },
      {
        confirmFor: () => ({ ...DEFAULT_CONFIRM, withoutElicitation: 'deny' }),
      },
    );
    const d = deny.fromClient(call(13, 'delete_file', { path: '/x' }));
    expect(toServer(d)).toEqual([]);
    expect(errorOf(toClient(d)[0])).toMatchObject({ code: -32012, data: { verdict: 'denied' } });
  });

  it('the server cannot answer or forge a confirmation: its requests in the guard namespace are refused', () => {
    const g = guardFor(ELICITING);
    const ask = askOf(g.fromClient(call(14, 'delete_file', { path: '/x' })));
    const forged = g.fromServer(req(ask.id as string, 'elicitation/create', { message: 'hi', requestedSchema: {} }));
    expect(toClient(forged)).toEqual([]);
    expect(errorOf(toServer(forged)[0]).message).toMatch(/reserves/);
    // The server's own elicitation with its own id is the client's business (benign twin).
    const own = g.fromServer(req('srv-1', 'elicitation/create', { message: 'hi', requestedSchema: {} }));
    expect(toClient(own)).toHaveLength(1);
  });

  it('a duplicate id while held is refused; a cancelled held call is forgotten and its question withdrawn', () => {
    const g = guardFor(ELICITING);
    const ask = askOf(g.fromClient(call(15, 'delete_file', { path: '/x' })));
    expect(errorOf(toClient(g.fromClient(call(15, 'read_file', {})))[0]).message).toMatch(/still pending/);
    const cancelled = g.fromClient(note('notifications/cancelled', { requestId: 15 }));
    expect(toClient(cancelled)).toEqual([
      expect.objectContaining({
        method: 'notifications/cancelled',
        params: expect.objectContaining({ requestId: ask.id }),
      }),
    ]);
    expect(toServer(g.fromClient(res(ask.id as string, { action: 'accept', content: { confirm: true } })))).toEqual([]);
  });

  it('a stopped session refuses the held calls', () => {
    const g = guardFor(ELICITING);
    askOf(g.fromClient(call(16, 'delete_file', { path: '/x' })));
    const stop = g.halt('VERSION_YANKED', 'the registry yanked it');
    const err = toClient(stop)
      .map(errorOf)
      .find((e) => e?.code === -32004);
    expect(err?.message).toMatch(/yanked/);
  });
});
