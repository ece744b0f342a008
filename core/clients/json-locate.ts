// Where each value of a JSON document starts and ends, so one value can be replaced in the original text
// without reformatting the rest. Runs over text that parseStrictJson has already accepted (after
// blankJsonc), so it only has to find boundaries, not judge validity; depth is bounded there too.

import { McpLockError } from '../errors.ts';

export interface LocatedMember {
  key: string;
  /** Offset of the key's opening quote. */
  keyStart: number;
  value: LocatedValue;
}

export interface LocatedValue {
  kind: 'object' | 'array' | 'scalar';
  start: number;
  /** Offset just after the value. */
  end: number;
  members?: LocatedMember[];
}

function skipWs(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

function stringEnd(text: string, i: number): number {
  i++;
  while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}

function locateValue(text: string, start: number): LocatedValue {
  const i = skipWs(text, start);
  const c = text[i];
  if (c === '{') {
    const members: LocatedMember[] = [];
    let j = skipWs(text, i + 1);
    if (text[j] === '}') return { kind: 'object', start: i, end: j + 1, members };
    for (;;) {
      const keyStart = skipWs(text, j);
      const keyEnd = stringEnd(text, keyStart);
      const key = JSON.parse(text.slice(keyStart, keyEnd)) as string;
      j = skipWs(text, keyEnd);
      const value = locateValue(text, j + 1); // past the colon
      members.push({ key, keyStart, value });
      j = skipWs(text, value.end);
      if (text[j] === ',') {
        j++;
        continue;
      }
      return { kind: 'object', start: i, end: j + 1, members };
    }
  }
  if (c === '[') {
    let j = skipWs(text, i + 1);
    if (text[j] === ']') return { kind: 'array', start: i, end: j + 1 };
    for (;;) {
      const item = locateValue(text, j);
      j = skipWs(text, item.end);
      if (text[j] === ',') {
        j++;
        continue;
      }
      return { kind: 'array', start: i, end: j + 1 };
    }
  }
  if (c === '"') return { kind: 'scalar', start: i, end: stringEnd(text, i) };
  let j = i;
  while (j < text.length && /[-+0-9.eEa-z]/.test(text[j]!)) j++;
  if (j === i) throw new McpLockError('INTERNAL', `no JSON value at offset ${i}`);
  return { kind: 'scalar', start: i, end: j };
}

/** The top-level value of an (already validated) JSON text. */
export function locateJson(text: string): LocatedValue {
  return locateValue(text, 0);
}

/** The member `key` of a located object, if present (the last one; strict parsing forbids duplicates). */
export function memberOf(value: LocatedValue, key: string): LocatedMember | undefined {
  return value.members?.findLast((m) => m.key === key);
}
