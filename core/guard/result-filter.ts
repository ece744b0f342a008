// Results on their way to the client and so to the model: tools/call results, resources/read contents
// and prompts/get messages have hidden instructions neutralised in every string (core/text/neutralize.ts
// says which characters and why). A result with nothing to neutralise is forwarded byte for byte. Pure.

import type { JsonObject, JsonValue } from '../json/strict-json.ts';
import { type NeutralizedClass, neutralizeText } from '../text/neutralize.ts';

export const NEUTRALIZED_METHODS: ReadonlySet<string> = new Set(['tools/call', 'resources/read', 'prompts/get']);

export interface FilteredResult {
  result: JsonValue;
  /** Characters (or ANSI sequences) removed, by class; empty when the result is unchanged. */
  removed: Partial<Record<NeutralizedClass, number>>;
}

function walk(value: JsonValue, removed: Partial<Record<NeutralizedClass, number>>): JsonValue {
  if (typeof value === 'string') {
    const n = neutralizeText(value);
    for (const [c, k] of Object.entries(n.removed) as [NeutralizedClass, number][]) removed[c] = (removed[c] ?? 0) + k;
    return n.text;
  }
  if (Array.isArray(value)) return value.map((v) => walk(v, removed));
  if (value !== null && typeof value === 'object') {
    const out: JsonObject = {};
    // _meta is protocol metadata, not content for the model.
    for (const [k, v] of Object.entries(value)) out[k] = k === '_meta' ? v : walk(v, removed);
    return out;
  }
  return value;
}

export function neutralizeResult(result: JsonValue): FilteredResult {
  const removed: Partial<Record<NeutralizedClass, number>> = {};
  const filtered = walk(result, removed);
  return { result: Object.keys(removed).length > 0 ? filtered : result, removed };
}
