// The argument pointers of a policy (RFC 6901 JSON pointers, where a `*` segment matches every item of an
// array or member of an object) and the values they select in a call's arguments. Bounded: at most
// `maxMatches` values per pointer, so a policy rule cannot be made to cost more than the message it reads.

import type { JsonValue } from '../json/strict-json.ts';

export interface PointerMatch {
  /** The concrete pointer of the value (`/paths/2`). */
  pointer: string;
  value: JsonValue;
}

export function escapeSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The segments of a pointer: `/a~1b/*` → ['a/b', '*']. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A pointer as a dotted field path for messages (`/options/paths/2` → `options.paths[2]`). */
export function pointerToField(pointer: string): string {
  return pointerSegments(pointer)
    .map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join('');
}

/**
 * The values a pointer selects (absent ones are simply not there). `truncated` is set when more than
 * `maxMatches` values matched: the caller refuses rather than checking only some.
 */
export function selectPointer(
  root: JsonValue | undefined,
  pointer: string,
  maxMatches: number,
): { matches: PointerMatch[]; truncated: boolean } {
  const segments = pointerSegments(pointer);
  const matches: PointerMatch[] = [];
  let truncated = false;
  const visit = (value: JsonValue, at: string, i: number): void => {
    if (truncated) return;
    if (i === segments.length) {
      if (matches.length >= maxMatches) truncated = true;
      else matches.push({ pointer: at, value });
      return;
    }
    const seg = segments[i]!;
    if (Array.isArray(value)) {
      if (seg === '*')
        value.forEach((v, k) => {
          visit(v, `${at}/${k}`, i + 1);
        });
      else if (/^(0|[1-9]\d*)$/.test(seg) && Number(seg) < value.length)
        visit(value[Number(seg)]!, `${at}/${seg}`, i + 1);
      return;
    }
    if (value !== null && typeof value === 'object') {
      if (seg === '*') {
        for (const [k, v] of Object.entries(value)) visit(v, `${at}/${escapeSegment(k)}`, i + 1);
      } else if (Object.hasOwn(value, seg)) {
        visit(value[seg]!, `${at}/${escapeSegment(seg)}`, i + 1);
      }
    }
  };
  if (root !== undefined) visit(root, '', 0);
  return { matches, truncated };
}
