// Limits on tools/call (issue #13.5): calls per minute per tool and per server (sliding windows), the same
// call repeated (same tool, same argument digest: an agent in a loop), and the size of what one call sends
// out (its serialized arguments). The clock is injected, so every window is table-testable. A refused call
// is not counted: a client that is refused and keeps retrying does not push its own window further out.
// Memory is bounded: each window holds at most its limit of timestamps, and at most MAX_TRACKED_DIGESTS
// distinct argument digests are remembered (the oldest are forgotten first).
// Pure apart from the clock it is given.

export type OnExceed = 'refuse' | 'stop-session';

/** The policy file's `limits` settings, as one tool sees them. */
export interface LimitSettings {
  /** Calls of this tool per sliding minute. */
  callsPerMinute: number;
  /** Calls of all tools of this server per sliding minute. */
  serverCallsPerMinute: number;
  /** The same tool with the same arguments at most `max` times within `windowSeconds`. */
  identicalCalls: { max: number; windowSeconds: number };
  /** Bytes of one call's serialized arguments. */
  maxArgumentBytes: number;
  onExceed: OnExceed;
}

export const DEFAULT_LIMIT_SETTINGS: LimitSettings = {
  callsPerMinute: 600,
  serverCallsPerMinute: 1200,
  identicalCalls: { max: 20, windowSeconds: 60 },
  maxArgumentBytes: 4 * 1024 * 1024,
  onExceed: 'refuse',
};

export type LimitName =
  | 'callsPerMinute'
  | 'serverCallsPerMinute'
  | 'identicalCalls'
  | 'maxArgumentBytes'
  | 'secretScan';

export interface LimitExceeded {
  limit: LimitName;
  /** The bound that was reached. */
  max: number;
  /** For windows: its length in seconds. */
  windowSeconds?: number;
  /** For maxArgumentBytes: the size of the refused call; for secretScan: the characters left unscanned. */
  bytes?: number;
  /** When a call would be accepted again (ms), for windows. */
  retryAfterMs?: number;
}

const MINUTE_MS = 60_000;
const MAX_TRACKED_DIGESTS = 4096;
const MAX_TRACKED_TOOLS = 4096;

/** Timestamps of accepted events within a window, oldest first; never more than the window's limit. */
class SlidingWindow {
  private readonly times: number[] = [];

  /** Whether one more event at `now` stays within `max` per `windowMs`; if not, when it would. */
  check(now: number, max: number, windowMs: number): { ok: true } | { ok: false; retryAfterMs: number } {
    while (this.times.length > 0 && this.times[0]! <= now - windowMs) this.times.shift();
    if (this.times.length < max) return { ok: true };
    const oldest = this.times[this.times.length - max];
    return { ok: false, retryAfterMs: oldest === undefined ? windowMs : Math.max(0, oldest + windowMs - now) };
  }

  record(now: number, max: number): void {
    this.times.push(now);
    if (this.times.length > max) this.times.splice(0, this.times.length - max);
  }
}

export interface CallToCount {
  tool: string;
  /** A digest of the canonical arguments. */
  argumentDigest: string;
}

/** The payload bound: the serialized arguments of one call, in UTF-8 bytes. */
export function payloadExceeded(bytes: number, settings: LimitSettings): LimitExceeded | null {
  return bytes > settings.maxArgumentBytes
    ? { limit: 'maxArgumentBytes', max: settings.maxArgumentBytes, bytes }
    : null;
}

export class CallLimiter {
  private readonly now: () => number;
  private readonly server = new SlidingWindow();
  private readonly tools = new Map<string, SlidingWindow>();
  private readonly identical = new Map<string, SlidingWindow>();

  constructor(now: () => number) {
    this.now = now;
  }

  /** The first window this call would overflow, or null, in which case the call is counted. */
  admit(call: CallToCount, settings: LimitSettings): LimitExceeded | null {
    const now = this.now();
    const tool = this.window(this.tools, call.tool, MAX_TRACKED_TOOLS);
    const sameKey = `${call.tool}\u0000${call.argumentDigest}`;
    const same = this.window(this.identical, sameKey, MAX_TRACKED_DIGESTS);
    const identicalMs = settings.identicalCalls.windowSeconds * 1000;
    const checks: Array<[LimitName, SlidingWindow, number, number]> = [
      ['identicalCalls', same, settings.identicalCalls.max, identicalMs],
      ['callsPerMinute', tool, settings.callsPerMinute, MINUTE_MS],
      ['serverCallsPerMinute', this.server, settings.serverCallsPerMinute, MINUTE_MS],
    ];
    for (const [limit, window, max, windowMs] of checks) {
      const verdict = window.check(now, max, windowMs);
      if (!verdict.ok) return { limit, max, windowSeconds: windowMs / 1000, retryAfterMs: verdict.retryAfterMs };
    }
    for (const [, window, max] of checks) window.record(now, max);
    return null;
  }

  private window(map: Map<string, SlidingWindow>, key: string, cap: number): SlidingWindow {
    let w = map.get(key);
    if (w) {
      // Most recently used last, so the first key is the one to forget.
      map.delete(key);
      map.set(key, w);
      return w;
    }
    if (map.size >= cap) map.delete(map.keys().next().value!);
    w = new SlidingWindow();
    map.set(key, w);
    return w;
  }
}

/** "calls per minute of tool `x` (600)" — what the error and the notice say. */
export function describeLimit(e: LimitExceeded, tool: string): string {
  switch (e.limit) {
    case 'secretScan':
      return `the arguments hold more than ${e.max} strings, too many to scan for credentials (${e.bytes} characters left unscanned)`;
    case 'maxArgumentBytes':
      return `the arguments are ${e.bytes} bytes, more than the limit of ${e.max} bytes (maxArgumentBytes)`;
    case 'identicalCalls':
      return `the same call (same tool, same arguments) was made ${e.max} times within ${e.windowSeconds} s (identicalCalls: the agent may be in a loop)`;
    case 'callsPerMinute':
      return `tool "${tool}" was called ${e.max} times within a minute (callsPerMinute)`;
    case 'serverCallsPerMinute':
      return `the server's tools were called ${e.max} times within a minute (serverCallsPerMinute)`;
  }
}
