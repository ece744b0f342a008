// Compare what a server shows now with what was pinned. Used by `verify --live`, by the connect-time
// proxy on every list page, and by `update`/`diff`. Pure: digests in, verdicts out.

import { canonicalDigest, type Digest } from '../canonical/digest.ts';
import type { JsonObject } from '../json/strict-json.ts';
import {
  instructionsDigest,
  itemKey,
  SURFACE_KINDS,
  type SurfaceKind,
  type SurfacePins,
  type SurfaceSnapshot,
} from './pin.ts';

export type ItemStatus = 'pinned' | 'changed' | 'unpinned';

export interface ItemVerdict {
  kind: SurfaceKind;
  key: string;
  status: ItemStatus;
  found: Digest;
  expected?: Digest;
}

/** Verdict for one item as received. Throws SERVER_PROTOCOL_ERROR when it has no key. */
export function checkItem(pins: SurfacePins, kind: SurfaceKind, item: JsonObject): ItemVerdict {
  const key = itemKey(kind, item);
  const found = canonicalDigest(item);
  const expected = Object.hasOwn(pins[kind], key) ? pins[kind][key] : undefined;
  if (expected === undefined) return { kind, key, status: 'unpinned', found };
  return { kind, key, status: expected === found ? 'pinned' : 'changed', found, expected };
}

export interface KindComparison {
  kind: SurfaceKind;
  verdicts: ItemVerdict[];
  /** Pinned keys the server no longer lists. */
  missing: string[];
  /** Keys listed more than once. */
  duplicates: string[];
}

export function compareKind(pins: SurfacePins, kind: SurfaceKind, items: readonly JsonObject[]): KindComparison {
  const verdicts: ItemVerdict[] = [];
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const item of items) {
    const verdict = checkItem(pins, kind, item);
    if (seen.has(verdict.key)) duplicates.push(verdict.key);
    seen.add(verdict.key);
    verdicts.push(verdict);
  }
  const missing = Object.keys(pins[kind]).filter((k) => !seen.has(k));
  return { kind, verdicts, missing, duplicates };
}

export interface InstructionsVerdict {
  status: 'pinned' | 'changed';
  expected: Digest | null;
  found: Digest | null;
}

export function checkInstructions(pins: SurfacePins, text: string | null | undefined): InstructionsVerdict {
  const found = typeof text === 'string' ? instructionsDigest(text) : null;
  return { status: found === pins.instructions ? 'pinned' : 'changed', expected: pins.instructions, found };
}

/** True when nothing drifted: every item pinned and unchanged, nothing missing, no duplicates. */
export function isClean(comparison: KindComparison): boolean {
  return (
    comparison.missing.length === 0 &&
    comparison.duplicates.length === 0 &&
    comparison.verdicts.every((v) => v.status === 'pinned')
  );
}

export interface SurfaceDrift {
  kind: SurfaceKind | 'instructions' | 'coverage';
  key: string;
  status: 'changed' | 'unpinned' | 'missing' | 'duplicate';
  expected?: Digest | null;
  found?: Digest | null;
}

/** Everything in a freshly read surface that differs from the pins (empty = no drift). */
export function compareSnapshot(pins: SurfacePins, snapshot: SurfaceSnapshot): SurfaceDrift[] {
  const drift: SurfaceDrift[] = [];
  const instructions = checkInstructions(pins, snapshot.instructions);
  if (instructions.status === 'changed') {
    drift.push({
      kind: 'instructions',
      key: 'instructions',
      status: 'changed',
      expected: instructions.expected,
      found: instructions.found,
    });
  }
  for (const kind of SURFACE_KINDS) {
    const comparison = compareKind(pins, kind, snapshot[kind]);
    for (const v of comparison.verdicts) {
      if (v.status !== 'pinned')
        drift.push({ kind, key: v.key, status: v.status, expected: v.expected ?? null, found: v.found });
    }
    for (const key of comparison.missing)
      drift.push({ kind, key, status: 'missing', expected: pins[kind][key]!, found: null });
    for (const key of comparison.duplicates) drift.push({ kind, key, status: 'duplicate' });
  }
  return drift;
}
