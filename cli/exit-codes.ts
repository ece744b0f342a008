// The one table from error codes to process exit codes (DESIGN.md §5):
// 0 ok, 1 verification failed, 2 usage or invalid input, 3 could not verify.

import { type ErrorCategory, type ErrorCode, errorCategory } from '../core/errors.ts';

export const EXIT = { ok: 0, verificationFailed: 1, usage: 2, couldNotVerify: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const BY_CATEGORY: Record<ErrorCategory, ExitCode> = {
  usage: EXIT.usage,
  verification: EXIT.verificationFailed,
  unverifiable: EXIT.couldNotVerify,
};

export function exitCodeFor(code: ErrorCode): ExitCode {
  return BY_CATEGORY[errorCategory(code)];
}
