// What a registry's HTTP answer means for the client: its base URL rules (https, or http to loopback),
// a JSON answer parsed strictly, and an error answer mapped to a code (the inverse of the registry's
// httpStatusFor: unreachable and 5xx → exit 3, 404 → NOT_FOUND, 401/403 → UNAUTHENTICATED/FORBIDDEN,
// 409 → CONFLICT), with its message and hint cut to size.

import { type ErrorCode, errorCategory, isErrorCode, McpLockError } from '../../core/errors.ts';
import { type JsonValue, parseStrictJson } from '../../core/json/strict-json.ts';
import type { HttpResponse } from './http.ts';

const FALLBACK_HINTS: Partial<Record<ErrorCode, string>> = {
  REGISTRY_UNAVAILABLE: 'Retry later; nothing was changed.',
  UNAUTHENTICATED: 'Check --token or MCP_LOCK_TOKEN.',
  FORBIDDEN: 'The token lacks the role or scope for this.',
  NOT_FOUND: 'Check the name and version.',
  CONFLICT: 'Published versions are immutable.',
  RATE_LIMITED: 'Too many failed attempts; wait and check the token.',
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const MESSAGE_MAX = 500;

/**
 * The code a registry's error response means for the client: the inverse of the registry's
 * httpStatusFor. 5xx is always "could not verify"; the codes HTTP names by status map back by status;
 * otherwise the server's own code counts when it is known and not "could not verify" (a registry cannot
 * make a client error look like "could not verify", or the reverse).
 */
export function errorCodeForResponse(status: number, serverCode: string | undefined): ErrorCode {
  if (status >= 500) return 'REGISTRY_UNAVAILABLE';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 400 && serverCode && isErrorCode(serverCode) && errorCategory(serverCode) !== 'unverifiable')
    return serverCode;
  return 'REGISTRY_PROTOCOL';
}

/** Check and normalize a registry base URL. */
export function registryBaseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new McpLockError('USAGE', `${JSON.stringify(url)} is not a registry URL`, {
      hint: 'For example https://registry.example.com or http://127.0.0.1:8787.',
    });
  }
  const loopback = LOOPBACK.has(parsed.hostname) || /^127\./.test(parsed.hostname);
  if (!(parsed.protocol === 'https:' || (parsed.protocol === 'http:' && loopback))) {
    throw new McpLockError('USAGE', `registry URLs use https (plain http only to this machine): ${parsed.origin}`, {
      hint: 'Tokens and statuses must not travel in clear text; put the registry behind TLS.',
    });
  }
  if (parsed.search || parsed.hash || parsed.username || parsed.password) {
    throw new McpLockError('USAGE', 'a registry URL has no query, fragment or credentials');
  }
  parsed.pathname = parsed.pathname.replace(/\/+$/, '');
  return parsed;
}

/** A JSON answer, parsed strictly (no schema check: the client checks it against its API definition). */
export function parseAnswer(response: HttpResponse, what: string, maxBytes: number): JsonValue {
  if (!/^application\/json\b/i.test(response.contentType)) {
    throw new McpLockError(
      'REGISTRY_PROTOCOL',
      `the registry answered ${what} with ${response.contentType || 'no content type'}, not JSON`,
    );
  }
  try {
    return parseStrictJson(response.body, `registry answer for ${what}`, { maxBytes, maxDepth: 128 });
  } catch (error) {
    throw new McpLockError(
      'REGISTRY_PROTOCOL',
      `the registry's answer for ${what} is not strict JSON: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** The error a non-2xx answer means: its code by status, the registry's message and hint cut to size. */
export function errorOfResponse(response: HttpResponse, what: string): McpLockError {
  const { status } = response;
  let serverCode: string | undefined;
  let message: string | undefined;
  let hint: string | undefined;
  try {
    const body = parseStrictJson(response.body, 'error body', { maxBytes: 1024 * 1024, maxDepth: 16 }) as {
      error?: unknown;
      code?: unknown;
      hint?: unknown;
    };
    const e = body?.error;
    if (e && typeof e === 'object' && !Array.isArray(e)) {
      const o = e as { code?: unknown; message?: unknown; hint?: unknown };
      if (typeof o.code === 'string') serverCode = o.code;
      if (typeof o.message === 'string') message = o.message;
      if (typeof o.hint === 'string') hint = o.hint;
    } else if (typeof e === 'string') {
      message = e;
      if (typeof body.code === 'string') serverCode = body.code;
      if (typeof body.hint === 'string') hint = body.hint;
    }
  } catch {
    // Not JSON: the status alone decides.
  }
  const text = `${what}: ${(message ?? `HTTP ${status}`).slice(0, MESSAGE_MAX)}`;
  const code = errorCodeForResponse(status, serverCode);
  const fallbackHint = FALLBACK_HINTS[code] ?? 'See the registry’s message.';
  const full =
    code === 'REGISTRY_UNAVAILABLE'
      ? `the registry failed on ${text}`
      : code === 'REGISTRY_PROTOCOL'
        ? `unexpected HTTP ${status} for ${text}`
        : text;
  return new McpLockError(code, full, { hint: (hint ?? fallbackHint).slice(0, MESSAGE_MAX), data: { status } });
}
