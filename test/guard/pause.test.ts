// Issue #13.7 in the pure guard and the pause file: `pause` refuses new calls with an error that says how
// to resume, cancels calls in flight (notifications/cancelled to the server, an error to the client) and
// the server's own requests; lists and ping still pass; `resume` lets calls through again in the same
// session. Benign twins: an unpaused server, and another server paused by name, change nothing.

import { describe, expect, it } from 'vitest';
import {
  applyPauseCommand,
  emptyPauseState,
  formatPauseState,
  type PauseState,
  parsePauseState,
  pauseOf,
} from '../../core/guard/pause-state.ts';
import { expectCode } from '../helpers/expect-code.ts';
import { audits, ECHO, errorOf, note, openedGuard, req, res, toClient, toServer } from '../helpers/guard-harness.ts';

const SINCE = '2026-12-03T13:00:00.000Z';
const PAUSED = { scope: 'server', since: SINCE } as const;
const echo = (id: number) => req(id, 'tools/call', { name: 'echo', arguments: { message: 'hi' } });

describe('the pause file', () => {
  const apply = (state: PauseState, action: 'pause' | 'resume', target: { all: true } | { server: string }) =>
    applyPauseCommand(state, { action, target, since: SINCE });

  it('pauses by name or all; one server resumed by name while all are paused stays running', () => {
    let s = apply(emptyPauseState(), 'pause', { server: 'a' });
    expect(pauseOf(s, 'a')).toEqual({ scope: 'server', since: SINCE });
    expect(pauseOf(s, 'b')).toBeNull();
    s = apply(s, 'pause', { all: true });
    expect(pauseOf(s, 'b')).toMatchObject({ scope: 'all' });
    s = apply(s, 'resume', { server: 'b' });
    expect(pauseOf(s, 'b')).toBeNull();
    expect(pauseOf(s, 'c')).toMatchObject({ scope: 'all' });
    s = apply(s, 'resume', { all: true });
    expect(['a', 'b', 'c'].map((n) => pauseOf(s, n))).toEqual([null, null, null]);
    expect(s).toEqual(emptyPauseState());
  });

  it('round-trips through its file format and never mutates the state it is given', () => {
    const before = emptyPauseState();
    const after = applyPauseCommand(before, {
      action: 'pause',
      target: { server: 'io.github.x/y' },
      since: SINCE,
      reason: 'incident 42',
    });
    expect(before).toEqual(emptyPauseState());
    expect(parsePauseState(formatPauseState(after))).toEqual(after);
    expect(pauseOf(after, '__proto__')).toBeNull();
  });

  it('refuses a file it cannot trust (CONFIG_INVALID, the running guard then pauses everything)', () => {
    for (const bad of [
      '{"version":2,"all":null,"servers":{}}',
      '{"version":1,"all":null,"servers":{},"extra":1}',
      '{"version":1,"all":{"since":"yesterday"},"servers":{}}',
      '{"version":1,"all":null,"servers":{"a":{"since":"2026-01-01T00:00:00Z"}}}',
      '[]',
    ]) {
      expectCode(() => parsePauseState(bad), 'CONFIG_INVALID');
    }
    expectCode(() => parsePauseState('{"version":1,'), 'JSON_SYNTAX');
  });
});

describe('a paused session', () => {
  it('refuses new calls with a clear error saying how to resume; lists and ping still pass', () => {
    const g = openedGuard();
    g.pause(PAUSED);
    const refused = g.fromClient(echo(1));
    expect(toServer(refused)).toEqual([]);
    const err = errorOf(toClient(refused)[0]);
    expect(err.code).toBe(-32013);
    expect(err.message).toMatch(/io\.github\.test\/server is paused since .*mcp-lock resume io\.github\.test\/server/);
    expect(err.data).toMatchObject({ code: 'PAUSED', scope: 'server' });
    for (const method of ['tools/list', 'ping', 'resources/list', 'tasks/cancel']) {
      expect(toServer(g.fromClient(req(`${method}-1`, method, {}))), method).toHaveLength(1);
    }
    for (const [method, params] of [
      ['prompts/get', { name: 'p' }],
      ['resources/read', { uri: 'notes://index' }],
      ['x-vendor/do-it', {}],
    ] as const) {
      expect(toServer(g.fromClient(req(`${method}-2`, method, params))), method).toEqual([]);
    }
  });

  it('cancels calls in flight: the server is told, the client gets an error, a late answer is dropped', () => {
    const g = openedGuard();
    expect(toServer(g.fromClient(echo(2)))).toHaveLength(1);
    g.fromClient(req(3, 'tools/list', {}));
    const paused = g.pause({ scope: 'all', since: SINCE, reason: 'incident' });
    expect(toServer(paused)).toEqual([
      { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 2, reason: 'mcp-lock: paused' } },
    ]);
    const err = errorOf(toClient(paused)[0]);
    expect(err.message).toMatch(/every server of this project is paused .*\(incident\).*was cancelled.*resume --all/);
    expect(audits(paused)).toContainEqual(expect.objectContaining({ event: 'pause', decision: 'paused' }));
    expect(toClient(g.fromServer(res(2, { content: [] })))).toEqual([]);
    // The listing was not cancelled: its answer still reaches the client.
    expect(toClient(g.fromServer(res(3, { tools: [ECHO] })))).toHaveLength(1);
  });

  it("refuses the server's own requests while paused (ping excepted)", () => {
    const g = openedGuard();
    g.pause(PAUSED);
    const sampling = g.fromServer(req('s1', 'sampling/createMessage', { messages: [], maxTokens: 1 }));
    expect(toClient(sampling)).toEqual([]);
    expect(errorOf(toServer(sampling)[0]).message).toMatch(/paused/);
    expect(toClient(g.fromServer(req('s2', 'ping')))).toHaveLength(1);
  });

  it('resumes without a restart; benign twin: an unpaused session is untouched', () => {
    const g = openedGuard();
    g.pause(PAUSED);
    const resumed = g.pause(null);
    expect(audits(resumed)).toEqual([expect.objectContaining({ event: 'pause', decision: 'resumed' })]);
    expect(toServer(g.fromClient(echo(4)))).toHaveLength(1);
    const plain = openedGuard();
    expect(plain.pause(null)).toEqual([]);
    expect(toServer(plain.fromClient(echo(5)))).toHaveLength(1);
    expect(toServer(plain.fromClient(note('notifications/cancelled', { requestId: 5 })))).toHaveLength(1);
  });

  it('starts paused when the pause file said so at launch', () => {
    const g = openedGuard({ paused: PAUSED });
    expect(errorOf(toClient(g.fromClient(echo(6)))[0]).code).toBe(-32013);
  });
});
