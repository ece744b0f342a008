// Results on their way to the client and so to the model: tools/call results, resources/read contents
// and prompts/get messages have hidden instructions neutralised in every string (core/text/neutralize.ts
// says which characters and why), removed or escaped as the policy says; `off` only counts them. A result
// with nothing to neutralise is forwarded byte for byte. Pure.

import type { JsonObject, JsonValue } from '../json/strict-json.ts';
import { type NeutralizedClass, type NeutralizeMode, neutralizeText } from '../text/neutralize.ts';

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
