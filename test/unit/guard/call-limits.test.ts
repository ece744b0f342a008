// Issue #13.5: the call limits as a table over an injected clock: sliding windows per tool and per server,
// identical-call (loop) detection, the payload bound, and the benign twins just under each limit.

import { describe, expect, it } from 'vitest';
import {
  CallLimiter,
  DEFAULT_LIMIT_SETTINGS,
  describeLimit,
  type LimitSettings,
  payloadExceeded,
} from '../../../core/guard/call-limits.ts';

function limiter(): { l: CallLimiter; clock: { t: number } } {
  const clock = { t: 1_000_000 };
  return { l: new CallLimiter(() => clock.t), clock };
}

const settings = (over: Partial<LimitSettings> = {}): LimitSettings => ({ ...DEFAULT_LIMIT_SETTINGS, ...over });
let n = 0;
const fresh = (tool = 'echo') => ({ tool, argumentDigest: `d${++n}` });

describe('CallLimiter', () => {
  it('allows callsPerMinute calls of a tool within a minute, refuses the next, and slides', () => {
    const { l, clock } = limiter();
    const s = settings({ callsPerMinute: 3 });
    for (let i = 0; i < 3; i++) {
      expect(l.admit(fresh(), s)).toBeNull();
      clock.t += 10_000;
    }
    // t0+30 s: the 4th call within the minute that began at t0.
    expect(l.admit(fresh(), s)).toEqual({ limit: 'callsPerMinute', max: 3, windowSeconds: 60, retryAfterMs: 30_000 });
    // Another tool has its own window.
    expect(l.admit(fresh('other'), s)).toBeNull();
    // At t0+60 s the first call leaves the window.
    clock.t += 30_000;
    expect(l.admit(fresh(), s)).toBeNull();
    expect(l.admit(fresh(), s)).toMatchObject({ limit: 'callsPerMinute' });
  });

  it('does not count refused calls: a client that keeps retrying is let in when the window slides', () => {
    const { l, clock } = limiter();
    const s = settings({ callsPerMinute: 1 });
    expect(l.admit(fresh(), s)).toBeNull();
    for (let i = 0; i < 50; i++) {
      clock.t += 1000;
      expect(l.admit(fresh(), s)).not.toBeNull();
    }
    clock.t += 10_000;
    expect(l.admit(fresh(), s)).toBeNull();
  });

  it('counts every tool against serverCallsPerMinute', () => {
    const { l } = limiter();
    const s = settings({ serverCallsPerMinute: 4 });
    for (const tool of ['a', 'b', 'c', 'd']) expect(l.admit(fresh(tool), s)).toBeNull();
    expect(l.admit(fresh('e'), s)).toMatchObject({ limit: 'serverCallsPerMinute', max: 4 });
  });

  it('detects the same call repeated (same tool, same arguments) within the window', () => {
    const { l, clock } = limiter();
    const s = settings({ identicalCalls: { max: 3, windowSeconds: 10 } });
    const same = { tool: 'search', argumentDigest: 'same' };
    for (let i = 0; i < 3; i++) expect(l.admit(same, s)).toBeNull();
    expect(l.admit(same, s)).toMatchObject({ limit: 'identicalCalls', max: 3, windowSeconds: 10 });
    // Benign twins: other arguments, or the same arguments to another tool, pass.
    expect(l.admit({ tool: 'search', argumentDigest: 'other' }, s)).toBeNull();
    expect(l.admit({ tool: 'fetch', argumentDigest: 'same' }, s)).toBeNull();
    clock.t += 10_001;
    expect(l.admit(same, s)).toBeNull();
  });

  it('keeps calls under every default limit for a busy but normal session', () => {
    const { l, clock } = limiter();
    // 10 calls a second for a minute over 3 tools, each with its own arguments: 600 calls, 200 per tool.
    for (let i = 0; i < 600; i++) {
      expect(l.admit(fresh(['a', 'b', 'c'][i % 3]!), DEFAULT_LIMIT_SETTINGS)).toBeNull();
      clock.t += 100;
    }
  });

  it('bounds its memory: distinct argument digests beyond the cap are forgotten oldest first', () => {
    const { l } = limiter();
    const s = settings({
      callsPerMinute: 1e9,
      serverCallsPerMinute: 1e9,
      identicalCalls: { max: 1, windowSeconds: 60 },
    });
    expect(l.admit({ tool: 't', argumentDigest: 'first' }, s)).toBeNull();
    expect(l.admit({ tool: 't', argumentDigest: 'first' }, s)).not.toBeNull();
    for (let i = 0; i < 5000; i++) l.admit({ tool: 't', argumentDigest: `x${i}` }, s);
    // Forgotten: the repeat is no longer recognised (memory stayed bounded instead).
    expect(l.admit({ tool: 't', argumentDigest: 'first' }, s)).toBeNull();
  });
});

describe('payloadExceeded', () => {
  it('refuses arguments over maxArgumentBytes and passes the ones at the limit', () => {
    const s = settings({ maxArgumentBytes: 1000 });
    expect(payloadExceeded(1000, s)).toBeNull();
    expect(payloadExceeded(1001, s)).toEqual({ limit: 'maxArgumentBytes', max: 1000, bytes: 1001 });
  });
});

describe('describeLimit', () => {
  it('says which limit, with its number and name in the policy', () => {
    expect(describeLimit({ limit: 'callsPerMinute', max: 3, windowSeconds: 60 }, 'echo')).toBe(
      'tool "echo" was called 3 times within a minute (callsPerMinute)',
    );
    expect(describeLimit({ limit: 'identicalCalls', max: 3, windowSeconds: 10 }, 'echo')).toMatch(
      /same arguments.*3 times within 10 s.*loop/,
    );
    expect(describeLimit({ limit: 'maxArgumentBytes', max: 10, bytes: 11 }, 'echo')).toMatch(/11 bytes.*10 bytes/);
  });
});
