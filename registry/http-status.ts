// The one table from error codes to HTTP statuses (DESIGN.md §5). By category first (bad input 400,
// verified-and-failed 422, could-not-verify 503), then the codes HTTP has a closer word for.

import { type ErrorCategory, type ErrorCode, errorCategory } from '../core/errors.ts';

const BY_CATEGORY: Record<ErrorCategory, number> = {
  usage: 400,
  verification: 422,
  unverifiable: 503,
};

const BY_CODE: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  JSON_TOO_LARGE: 413,
  LIMIT_EXCEEDED: 413,
  MEDIA_TYPE_UNSUPPORTED: 415,
  TIMEOUT: 504,
  RATE_LIMITED: 429,
  NETWORK_ERROR: 502,
  REGISTRY_PROTOCOL: 502,
  STORAGE_ERROR: 500,
  INTERNAL: 500,
};

export function httpStatusFor(code: ErrorCode): number {
  return BY_CODE[code] ?? BY_CATEGORY[errorCategory(code)];
}
