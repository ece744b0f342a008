// Field-level differences between two JSON values (two versions of a tool definition, two manifests),
// so a reviewer sees *what* changed: `inputSchema.properties.to.default`, not just "the hash differs".

import type { JsonValue } from '../json/strict-json.ts';
import { formatPath } from '../json/strict-json.ts';

export interface FieldChange {
  /** `$.inputSchema.required[1]` style path. */
  path: string;
  type: 'added' | 'removed' | 'changed';
  before?: JsonValue;
  after?: JsonValue;
}

const MAX_CHANGES = 500;

function isObject(v: JsonValue | undefined): v is { [k: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Differences from `before` to `after`, depth-first in key order, capped at 500 entries. */
export function fieldDiff(before: JsonValue | undefined, after: JsonValue | undefined): FieldChange[] {
  const changes: FieldChange[] = [];
  walk(before, after, [], changes);
  return changes;
}

function walk(a: JsonValue | undefined, b: JsonValue | undefined, path: (string | number)[], out: FieldChange[]): void {
  if (out.length >= MAX_CHANGES) return;
  if (a === undefined && b === undefined) return;
  if (a === undefined) {
    out.push({ path: formatPath(path), type: 'added', after: b as JsonValue });
    return;
  }
  if (b === undefined) {
    out.push({ path: formatPath(path), type: 'removed', before: a });
    return;
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      walk(Object.hasOwn(a, key) ? a[key] : undefined, Object.hasOwn(b, key) ? b[key] : undefined, [...path, key], out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) walk(a[i], b[i], [...path, i], out);
    return;
  }
  if (a !== b) out.push({ path: formatPath(path), type: 'changed', before: a, after: b });
}
