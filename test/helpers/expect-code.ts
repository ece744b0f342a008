// Assertion helpers that also return the error for further checks; for a plain assertion use the
// registered matcher `toThrowWithCode` (test/helpers/matchers.ts).
import { expect } from 'vitest';
import { McpLockError } from '../../core/errors.ts';

export function expectCode(fn: () => unknown, code: string): McpLockError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `expected an McpLockError ${code}`).toBeInstanceOf(McpLockError);
  expect((thrown as McpLockError).code).toBe(code);
  return thrown as McpLockError;
}

export async function expectCodeAsync(fn: () => Promise<unknown>, code: string): Promise<McpLockError> {
  let thrown: unknown;
  try {
    await fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `expected an McpLockError ${code}`).toBeInstanceOf(McpLockError);
  expect((thrown as McpLockError).code).toBe(code);
  return thrown as McpLockError;
}
