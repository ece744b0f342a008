// Opaque pagination cursors: the key of the last item of a page, base64url-encoded. Clients must treat
// them as opaque (the official API says so); we parse them strictly and refuse anything we did not make.

import { McpLockError } from '../errors.ts';
import { parseStrictJson } from '../json/strict-json.ts';

export const CURSOR_MAX = 1024;

export interface CursorKey {
  name: string;
  version: string;
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.name, key.version]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CursorKey {
  const bad = () =>
    new McpLockError('USAGE', 'the cursor is not one this registry returned', {
      hint: 'Pass metadata.nextCursor from the previous page unchanged, or omit cursor to start over.',
    });
  if (cursor.length === 0 || cursor.length > CURSOR_MAX || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad();
  let value: unknown;
  try {
    value = parseStrictJson(Buffer.from(cursor, 'base64url'), 'cursor', { maxBytes: CURSOR_MAX, maxDepth: 2 });
  } catch {
    throw bad();
  }
  if (
    !Array.isArray(value) ||
    value.length !== 2 ||
    typeof value[0] !== 'string' ||
    typeof value[1] !== 'string' ||
    value[0].length === 0
  ) {
    throw bad();
  }
  return { name: value[0], version: value[1] };
}

/** The official API's cursor-based `limit`: default 30, at most 100 (larger values are clamped). */
export const DEFAULT_LIMIT = 30;
export const MAX_LIMIT = 100;

export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  return Math.min(Math.max(1, Math.trunc(limit)), MAX_LIMIT);
}
