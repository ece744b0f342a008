// Issue #10.4: the guard bounds what it parses. A line longer than maxMessageBytes, from either side, is
// never parsed or forwarded: it is audited as LIMIT_EXCEEDED and the session ends. The benign twin, a
// line of exactly the limit, passes untouched.

import { describe, expect, it } from 'vitest';
import { DEFAULT_GUARD_LIMITS } from '../../core/guard/guard.ts';
import { audits, errorOf, openedGuard, req, res, stops, toClient, toServer } from '../helpers/guard-harness.ts';

/** A tools/call request padded to exactly `bytes` bytes of UTF-8. */
function callOfSize(id: number, bytes: number): Uint8Array {
  const base = req(id, 'tools/call', { name: 'echo', arguments: { message: '' } });
  const padded = base.replace('"message":""', `"message":"${'x'.repeat(bytes - Buffer.byteLength(base))}"`);
  const out = Buffer.from(padded);
  expect(out.byteLength).toBe(bytes);
  return out;
}

describe('message size limit', () => {
  it('is a real limit by default (16 MiB), not Number.MAX_SAFE_INTEGER', () => {
    expect(DEFAULT_GUARD_LIMITS.maxMessageBytes).toBe(16 * 1024 * 1024);
  });

  it('an over-long client line is refused, audited, never forwarded, and ends the session', () => {
    const g = openedGuard({ limits: { maxMessageBytes: 4096 } });
    const effects = g.fromClient(callOfSize(7, 4097));
    expect(toServer(effects)).toEqual([]);
    expect(errorOf(toClient(effects)[0])).toMatchObject({ code: -32005, data: { code: 'LIMIT_EXCEEDED' } });
    expect(audits(effects)[0]).toMatchObject({ event: 'client-message', decision: 'blocked', code: 'LIMIT_EXCEEDED' });
    expect(stops(effects)).toEqual([{ type: 'stop', code: 'LIMIT_EXCEEDED', reason: expect.stringMatching(/4096/) }]);
    expect(g.stopped?.code).toBe('LIMIT_EXCEEDED');
    // Nothing later gets through either.
    expect(toServer(g.fromClient(req(8, 'tools/list')))).toEqual([]);
  });

  it('benign twin: a client line of exactly the limit passes', () => {
    const g = openedGuard({ limits: { maxMessageBytes: 4096 } });
    const effects = g.fromClient(callOfSize(7, 4096));
    expect(toServer(effects)).toHaveLength(1);
    expect(g.stopped).toBeNull();
  });

  it('an over-long server line is not parsed or forwarded; pending requests get the reason; the session ends', () => {
    const g = openedGuard({ limits: { maxMessageBytes: 4096 } });
    g.fromClient(req(3, 'tools/call', { name: 'echo', arguments: { message: 'hi' } }));
    const big = res(3, { content: [{ type: 'text', text: 'x'.repeat(5000) }] });
    const effects = g.fromServer(big);
    const answers = toClient(effects);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ id: 3, error: { data: { code: 'LIMIT_EXCEEDED' } } });
    expect(audits(effects)[0]).toMatchObject({ event: 'server-message', decision: 'blocked', code: 'LIMIT_EXCEEDED' });
    expect(stops(effects)).toHaveLength(1);
  });

  it('benign twin: a server line under the limit is delivered as it came', () => {
    const g = openedGuard({ limits: { maxMessageBytes: 4096 } });
    g.fromClient(req(3, 'tools/call', { name: 'echo', arguments: { message: 'hi' } }));
    const ok = res(3, { content: [{ type: 'text', text: 'x'.repeat(3000) }] });
    expect(g.fromServer(ok)).toContainEqual({ type: 'client', line: ok });
  });

  it('a transport that cannot carry a client line reports it to the guard: audited and stopped', () => {
    const g = openedGuard();
    g.fromClient(req(1, 'tools/call', { name: 'echo', arguments: { message: 'hi' } }));
    const effects = g.clientFailed('LIMIT_EXCEEDED', 'a message is larger than 16777216 bytes');
    expect(audits(effects)[0]).toMatchObject({ event: 'client-message', code: 'LIMIT_EXCEEDED' });
    expect(toClient(effects).map((m) => m.id)).toEqual([null, 1]);
    expect(stops(effects)).toHaveLength(1);
  });
});
