// The one error type of mcp-lock. Every failure carries a stable UPPER_SNAKE code, a message for humans,
// an optional hint saying what to do next, and optional machine-readable data. The code decides the CLI
// exit code (cli/exit-codes.ts) and the HTTP status (registry/http-status.ts); nothing else does.

/** Codes grouped by what they mean for the caller. Adding one forces the mapping tables to be updated. */
export const ERROR_CODES = {
  // The input could not be read or is not what was asked for (CLI exit 2, HTTP 400).
  usage: [
    'USAGE',
    'FILE_NOT_FOUND',
    'FILE_UNREADABLE',
    'JSON_SYNTAX',
    'JSON_INVALID_UTF8',
    'JSON_DUPLICATE_KEY',
    'JSON_FORBIDDEN_KEY',
    'JSON_LONE_SURROGATE',
    'JSON_NONCHARACTER',
    'JSON_INEXACT_NUMBER',
    'JSON_NUMBER_TOO_LONG',
    'JSON_TOO_DEEP',
    'JSON_TOO_LARGE',
    'JSON_NOT_CANONICALIZABLE',
    'SCHEMA_INVALID',
    'MANIFEST_INVALID',
    'BUNDLE_MALFORMED',
    'KEY_INVALID',
    'LOCK_MISSING',
    'LOCK_INVALID',
    'POLICY_INVALID',
    'NAME_INVALID',
    'VERSION_INVALID',
    'SPEC_INVALID',
    'SURFACE_DUPLICATE_NAME',
    'CONFIG_INVALID',
    'CONFLICT',
    'NOT_FOUND',
    'LIMIT_EXCEEDED',
    'NAME_CONFUSABLE',
    'MEDIA_TYPE_UNSUPPORTED',
  ],
  // Checked, and the check failed: signature, integrity, drift, policy (CLI exit 1, HTTP 4xx).
  verification: [
    'SIGNATURE_INVALID',
    'SIGNER_UNTRUSTED',
    'SIGNER_CHANGED',
    'SUBJECT_MISMATCH',
    'DIGEST_MISMATCH',
    'INTEGRITY_MISMATCH',
    'INTEGRITY_MISSING',
    'RESOLVED_UNTRUSTED',
    'TREE_INVALID',
    'DRIFT_DETECTED',
    'COVERAGE_DOWNGRADE',
    'APPROVAL_MISSING',
    'APPROVAL_INVALID',
    'VERSION_YANKED',
    'VERSION_REJECTED',
    'LOCK_TAMPERED',
    'MATERIAL_MISSING',
    'POLICY_VIOLATION',
    'SHADOWING_DETECTED',
    'SCAN_FINDINGS',
    'UNAUTHENTICATED',
    'RATE_LIMITED',
    'FORBIDDEN',
    'NOT_PINNED',
    'REGISTRY_STATE_INVALID',
    'VERSION_NOT_LISTED',
    'PERMISSIONS_WIDENED',
    // A credential in a tools/call's arguments or in a result, where the runtime policy blocks it.
    'SECRET_DETECTED',
  ],
  // Could not check at all: network, registry, a server that will not start (CLI exit 3, HTTP 5xx/502).
  unverifiable: [
    'NETWORK_ERROR',
    'REGISTRY_UNAVAILABLE',
    'REGISTRY_PROTOCOL',
    'REGISTRY_STATE_EXPIRED',
    'INSTALL_FAILED',
    'SERVER_START_FAILED',
    'SANDBOX_UNAVAILABLE',
    // A secret the server needs is not set where mcp-lock runs: nothing could be checked, nothing failed.
    'SECRET_MISSING',
    'SERVER_PROTOCOL_ERROR',
    'TIMEOUT',
    'STORAGE_ERROR',
    'INTERNAL',
  ],
} as const;

export type ErrorCategory = keyof typeof ERROR_CODES;
export type ErrorCode = (typeof ERROR_CODES)[ErrorCategory][number];

const categoryOf = new Map<string, ErrorCategory>(
  (Object.keys(ERROR_CODES) as ErrorCategory[]).flatMap((category) =>
    ERROR_CODES[category].map((code) => [code, category] as const),
  ),
);

/** Whether a string (from a peer, a file, a thrown error) is one of our codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && categoryOf.has(value);
}

/** Which of the three outcomes (bad input / verified-and-failed / could-not-verify) a code belongs to. */
export function errorCategory(code: ErrorCode): ErrorCategory {
  return categoryOf.get(code) ?? 'unverifiable';
}

export interface McpLockErrorOptions {
  hint?: string;
  data?: Record<string, unknown>;
  cause?: unknown;
}

export class McpLockError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly data: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: McpLockErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'McpLockError';
    this.code = code;
    this.hint = options.hint;
    this.data = options.data;
  }

  get category(): ErrorCategory {
    return errorCategory(this.code);
  }

  toJSON(): { code: ErrorCode; message: string; hint?: string; data?: Record<string, unknown> } {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(this.data === undefined ? {} : { data: this.data }),
    };
  }
}

export function isMcpLockError(value: unknown): value is McpLockError {
  return value instanceof McpLockError;
}

/** Wrap anything thrown by a dependency into an McpLockError, keeping ours untouched. */
export function asMcpLockError(value: unknown, fallback: ErrorCode = 'INTERNAL', message?: string): McpLockError {
  if (value instanceof McpLockError) return value;
  const text = value instanceof Error ? value.message : String(value);
  return new McpLockError(fallback, message ? `${message}: ${text}` : text, { cause: value });
}

/** A finding from a check: data, not an exception (checkX returns these, verifyX throws). */
export interface Finding {
  code: ErrorCode;
  path: string;
  message: string;
  severity: 'error' | 'warning' | 'info';
  data?: Record<string, unknown>;
}
