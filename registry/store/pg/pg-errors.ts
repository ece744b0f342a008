// How PostgreSQL failures reach the registry: collisions between concurrent writers are retried by the
// store; everything else becomes one STORAGE_ERROR (HTTP 500 with a hidden message), never a driver stack.
// A database URL is shown without its password.

import { McpLockError } from '../../../core/errors.ts';

/** serialization_failure, deadlock_detected, unique_violation: the transaction lost a race; run it again. */
const RETRYABLE = new Set(['40001', '40P01', '23505']);

export function isRetryable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if (RETRYABLE.has((e as { code?: unknown }).code as string)) return true;
  }
  return false;
}

export function storageError(error: unknown): McpLockError {
  if (error instanceof McpLockError) return error;
  const code = (error as { code?: unknown }).code;
  return new McpLockError(
    'STORAGE_ERROR',
    `the registry database failed${typeof code === 'string' ? ` (${code})` : ''}`,
    {
      hint: 'Check that PostgreSQL is running and reachable; the write was not committed.',
      cause: error,
    },
  );
}

/** `postgres://user@host:port/db`, password removed. */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return '(an unparsable URL)';
  }
}
