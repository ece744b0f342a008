// Results on their way to the client and so to the model: tools/call results, resources/read contents
// and prompts/get messages have hidden instructions neutralised in every string (core/text/neutralize.ts
// says which characters and why), removed or escaped as the policy says; `off` only counts them. A result
// with nothing to neutralise is forwarded byte for byte. Pure.
// Fast path: a line of printable ASCII whose only escapes are \" \\ \/ \n \r \t cannot hold any character
// the neutraliser removes (they are all outside printable ASCII, or written as \u, \b or \f escapes),
// so its result is not walked at all (plainLine).

import type { JsonObject, JsonValue } from '../json/strict-json.ts';
import { type NeutralizedClass, type NeutralizeMode, neutralizeText } from '../text/neutralize.ts';

const BACKSLASH = 0x5c;
/** Escapes that stand for a character the neutraliser keeps: " \ / newline, carriage return, tab. */
const KEPT_ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x6e, 0x72, 0x74]);

function code(line: string | Uint8Array, i: number): number {
  return typeof line === 'string' ? line.charCodeAt(i) : line[i]!;
}

/**
 * True when the raw line cannot contain anything neutralizeText would change: every byte is printable ASCII
 * (or JSON whitespace) and no escape stands for a control character or for \u-anything.
 */
export function plainLine(line: string | Uint8Array): boolean {
  const n = line.length;
  for (let i = 0; i < n; i++) {
    const c = code(line, i);
    if (c === BACKSLASH) {
      if (!KEPT_ESCAPES.has(code(line, i + 1))) return false;
      i++;
    } else if (c > 0x7e || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d)) return false;
  }
  return true;
}

export const NEUTRALIZED_METHODS: ReadonlySet<string> = new Set(['tools/call', 'resources/read', 'prompts/get']);

export interface FilteredResult {
  result: JsonValue;
  /** Characters (or ANSI sequences) removed or escaped (or, when off, found), by class. */
  removed: Partial<Record<NeutralizedClass, number>>;
}

function walk(value: JsonValue, removed: Partial<Record<NeutralizedClass, number>>, mode: NeutralizeMode): JsonValue {
  if (typeof value === 'string') {
    const n = neutralizeText(value, mode);
    for (const [c, k] of Object.entries(n.removed) as [NeutralizedClass, number][]) removed[c] = (removed[c] ?? 0) + k;
    return n.text;
  }
  if (Array.isArray(value)) return value.map((v) => walk(v, removed, mode));
  if (value !== null && typeof value === 'object') {
    const out: JsonObject = {};
    // _meta is protocol metadata, not content for the model.
    for (const [k, v] of Object.entries(value)) out[k] = k === '_meta' ? v : walk(v, removed, mode);
    return out;
  }
  return value;
}

export function neutralizeResult(result: JsonValue, mode: NeutralizeMode | 'off' = 'remove'): FilteredResult {
  const removed: Partial<Record<NeutralizedClass, number>> = {};
  const filtered = walk(result, removed, mode === 'off' ? 'remove' : mode);
  return { result: mode !== 'off' && Object.keys(removed).length > 0 ? filtered : result, removed };
}
