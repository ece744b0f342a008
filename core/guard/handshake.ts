// The handshake, in both protocol eras: the instructions an initialize or server/discover answer carries
// must match the pin, and the 2026-07-28 request metadata the client sends is kept so the guard's own
// requests carry it too. Pure: values in, a verdict out.

import type { JsonObject, JsonValue } from '../json/strict-json.ts';
import { checkInstructions } from '../surface/compare.ts';
import { fieldDiff } from '../surface/field-diff.ts';
import type { ItemProblem } from './drift-report.ts';
import type { PinnedSurface } from './pinned-surface.ts';

const META_VERSION = 'io.modelcontextprotocol/protocolVersion';
const META_KEYS = [META_VERSION, 'io.modelcontextprotocol/clientCapabilities', 'io.modelcontextprotocol/clientInfo'];

export const HANDSHAKE_METHODS: ReadonlySet<string> = new Set(['initialize', 'server/discover']);

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The 2026-07-28 request metadata of a request's params, or null when it carries none (handshake era). */
export function parseRequestMeta(params: JsonObject | undefined): JsonObject | null {
  const meta = isObject(params?._meta) ? params._meta : undefined;
  if (!meta || typeof meta[META_VERSION] !== 'string') return null;
  const kept: JsonObject = {};
  for (const k of META_KEYS) if (meta[k] !== undefined) kept[k] = meta[k]!;
  return kept;
}

/** The problem with the instructions of a handshake result, or null when they match the pin. */
export function checkHandshakeInstructions(surface: PinnedSurface, result: JsonObject): ItemProblem | null {
  const text = result.instructions;
  const expected = surface.pins.instructions;
  if (text !== undefined && text !== null && typeof text !== 'string') {
    return { kind: 'instructions', key: 'instructions', status: 'malformed', expected };
  }
  const verdict = checkInstructions(surface.pins, typeof text === 'string' ? text : null);
  if (verdict.status !== 'changed') return null;
  return {
    kind: 'instructions',
    key: 'instructions',
    status: 'changed',
    expected: verdict.expected,
    found: verdict.found,
    changes: fieldDiff(surface.instructions ?? undefined, typeof text === 'string' ? text : undefined),
  };
}
