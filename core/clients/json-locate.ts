// Where each value of a JSON document starts and ends, so one value can be replaced in the original text
// without reformatting the rest: jsonc-parser's syntax tree (offsets into the text), read over text that
// parseStrictJson has already accepted (after blankJsonc), so it only has to find boundaries.

import { type Node, parseTree } from 'jsonc-parser';
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

function toLocated(node: Node): LocatedValue {
  const range = { start: node.offset, end: node.offset + node.length };
  if (node.type === 'array') return { kind: 'array', ...range };
  if (node.type !== 'object') return { kind: 'scalar', ...range };
  const members: LocatedMember[] = [];
  for (const property of node.children ?? []) {
    const [key, value] = property.children ?? [];
    if (!key || !value || typeof key.value !== 'string') {
      throw new McpLockError('INTERNAL', `no JSON member at offset ${property.offset}`);
    }
    members.push({ key: key.value, keyStart: key.offset, value: toLocated(value) });
  }
  return { kind: 'object', ...range, members };
}

/** The top-level value of an (already validated) JSON text. */
export function locateJson(text: string): LocatedValue {
  const root = parseTree(text, [], { disallowComments: true, allowTrailingComma: false });
  if (!root) throw new McpLockError('INTERNAL', 'no JSON value in the text');
  return toLocated(root);
}

/** The member `key` of a located object, if present (the last one; strict parsing forbids duplicates). */
export function memberOf(value: LocatedValue, key: string): LocatedMember | undefined {
  return value.members?.findLast((m) => m.key === key);
}
