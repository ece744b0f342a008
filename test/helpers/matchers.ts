// The one custom matcher of the suite, registered once for every test file (vitest.config.ts setupFiles):
//   expect(() => parse(x)).toThrowWithCode('JSON_INVALID')
//   await expect(promise).rejects.toThrowWithCode('NOT_FOUND')
// It passes only for an McpLockError with exactly that code; anything else thrown (a bare TypeError, a
// different code) fails with what was thrown instead.

import { expect } from 'vitest';
import { type ErrorCode, McpLockError } from '../../core/errors.ts';

function describeThrown(value: unknown): string {
  if (value instanceof McpLockError) return `McpLockError ${value.code}: ${value.message}`;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return `a non-error value ${String(value)}`;
}

expect.extend({
  toThrowWithCode(received: unknown, code: ErrorCode) {
    let thrown: unknown = received;
    let threw = true;
    if (typeof received === 'function') {
      threw = false;
      try {
        (received as () => unknown)();
      } catch (error) {
        threw = true;
        thrown = error;
      }
    }
    const pass = threw && thrown instanceof McpLockError && thrown.code === code;
    return {
      pass,
      message: () =>
        pass
          ? `expected not to throw an McpLockError ${code}`
          : threw
            ? `expected an McpLockError ${code}, got ${describeThrown(thrown)}`
            : `expected an McpLockError ${code}, but nothing was thrown`,
    };
  },
});

declare module 'vitest' {
  interface Matchers<R extends void | Promise<void> = void | Promise<void>, T = unknown> {
    /** Throws (or, after `.rejects`, rejects with) an McpLockError with exactly this code. */
    toThrowWithCode(code: ErrorCode): R;
  }
}
