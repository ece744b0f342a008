// The per-call audit record: one `call` record for every tools/call, however it ends, with the tool, a
// canonical digest of the arguments (never their values), the decision and reason code, the duration on
// the guard's clock, and the request and answer sizes.

import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../core/guard/audit-event.ts';
import { argumentsDigest } from '../../core/guard/call-record.ts';
import { audits, note, openedGuard, req, res } from '../helpers/guard-harness.ts';

const SECRET = 'AKIA-not-for-the-log';

function clocked() {
  let now = 1000;
  const g = openedGuard({ clock: () => now });
  return { g, advance: (ms: number) => (now += ms) };
}

const callOf = (events: AuditEvent[]) => events.filter((e) => e.event === 'call');

describe('call records', () => {
  it('a forwarded call that is answered: tool, digest, duration, sizes, and never the argument values', () => {
    const { g, advance } = clocked();
    const request = req(7, 'tools/call', { name: 'echo', arguments: { message: SECRET } });
    expect(callOf(audits(g.fromClient(request)))).toEqual([]);
    advance(12.5);
    const answer = res(7, { content: [{ type: 'text', text: 'ok' }] });
    const [record] = callOf(audits(g.fromServer(answer)));
    expect(record).toEqual({
      event: 'call',
      decision: 'allowed',
      tool: 'echo',
      argumentsDigest: argumentsDigest({ message: SECRET }),
      requestBytes: request.length,
      outcome: 'result',
      durationMs: 12.5,
      resultBytes: answer.length,
    });
    expect(JSON.stringify(record)).not.toContain(SECRET);
  });

  it('the digest is canonical: same arguments in another key order match, other values do not', () => {
    expect(argumentsDigest({ a: 1, b: [1, 'x'] })).toBe(argumentsDigest({ b: [1, 'x'], a: 1 }));
    expect(argumentsDigest({ a: 1 })).not.toBe(argumentsDigest({ a: 2 }));
    expect(argumentsDigest(undefined)).toBe(argumentsDigest({}));
    expect(argumentsDigest({ a: 1 })).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('a tool error, a JSON-RPC error, a timeout, a cancellation and a stop each end the call once', () => {
    const { g } = clocked();
    g.fromClient(req(1, 'tools/call', { name: 'echo', arguments: { message: 'a' } }));
    expect(callOf(audits(g.fromServer(res(1, { content: [], isError: true }))))).toMatchObject([
      { outcome: 'tool-error', decision: 'allowed' },
    ]);

    g.fromClient(req(2, 'tools/call', { name: 'echo', arguments: { message: 'b' } }));
    const error = JSON.stringify({ jsonrpc: '2.0', id: 2, error: { code: -32000, message: 'no' } });
    expect(callOf(audits(g.fromServer(error)))).toMatchObject([{ outcome: 'error', resultBytes: error.length }]);

    g.fromClient(req(3, 'tools/call', { name: 'echo', arguments: { message: 'c' } }));
    expect(callOf(audits(g.timeout('req:n:3')))).toMatchObject([{ outcome: 'timeout' }]);

    g.fromClient(req(4, 'tools/call', { name: 'echo', arguments: { message: 'd' } }));
    expect(callOf(audits(g.fromClient(note('notifications/cancelled', { requestId: 4 }))))).toMatchObject([
      { outcome: 'cancelled' },
    ]);
    // A late answer to the cancelled call is dropped and not counted again.
    expect(callOf(audits(g.fromServer(res(4, { content: [] }))))).toEqual([]);

    g.fromClient(req(5, 'tools/call', { name: 'echo', arguments: { message: 'e' } }));
    expect(callOf(audits(g.serverFailed('SERVER_START_FAILED', 'the server exited')))).toMatchObject([
      { outcome: 'stopped', tool: 'echo' },
    ]);
  });

  it('an unreadable answer is a blocked call', () => {
    const { g } = clocked();
    g.fromClient(req(1, 'tools/call', { name: 'echo', arguments: { message: 'a' } }));
    const [record] = callOf(audits(g.fromServer('{"jsonrpc":"2.0","id":1,"result":{"a":1,"a":2}}')));
    expect(record).toMatchObject({ decision: 'blocked', outcome: 'unreadable', tool: 'echo' });
  });

  it('refused calls are recorded with the reason code, and nothing was forwarded', () => {
    const { g } = clocked();
    const unpinned = g.fromClient(req(1, 'tools/call', { name: 'rm_rf', arguments: { path: SECRET } }));
    expect(unpinned.some((e) => e.type === 'server')).toBe(false);
    const [refused] = callOf(audits(unpinned));
    expect(refused).toMatchObject({ decision: 'blocked', tool: 'rm_rf', code: 'NOT_PINNED', reason: 'unpinned' });
    expect(refused!.argumentsDigest).toBe(argumentsDigest({ path: SECRET }));
    expect(JSON.stringify(refused)).not.toContain(SECRET);

    const invalid = g.fromClient(req(2, 'tools/call', { name: 'echo', arguments: { message: 42 } }));
    expect(callOf(audits(invalid))).toMatchObject([
      { decision: 'blocked', tool: 'echo', code: 'SCHEMA_INVALID', reason: 'arguments' },
    ]);
  });

  it('benign twin: other requests get no call record, and without a clock a call has no duration', () => {
    const g = openedGuard();
    g.fromClient(req(1, 'resources/read', { uri: 'notes://index' }));
    expect(callOf(audits(g.fromServer(res(1, { contents: [] }))))).toEqual([]);
    g.fromClient(req(2, 'tools/call', { name: 'echo', arguments: { message: 'x' } }));
    const [record] = callOf(audits(g.fromServer(res(2, { content: [] }))));
    expect(record).toBeDefined();
    expect(record).not.toHaveProperty('durationMs');
  });
});
