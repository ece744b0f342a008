// List verification: one page of tools/list, prompts/list, resources/list or resources/templates/list at a
// time. A listing (the pages that follow one another by cursor) is bounded in pages, items and bytes and
// may not loop; every item on a page must be pinned, unchanged, listed once and allowed. Pure: the pins,
// the listing so far and the page in, a verdict out.

import type { JsonObject, JsonValue } from '../json/strict-json.ts';
import { checkItem } from '../surface/compare.ts';
import { fieldDiff } from '../surface/field-diff.ts';
import { itemKey, LIST_METHOD, SURFACE_KINDS, type SurfaceKind } from '../surface/pin.ts';
import type { ItemProblem } from './drift-report.ts';
import type { BlockedItems, GuardLimits, RawLine } from './guard-types.ts';
import { lineLength } from './guard-types.ts';
import type { PinnedSurface } from './pinned-surface.ts';
import type { ShadowingContext } from './shadowing.ts';

/** Who asked for a listing: the client, or the guard itself after a list-changed notification. */
export type Origin = 'client' | 'guard';

export interface Listing {
  kind: SurfaceKind;
  origin: Origin;
  pages: number;
  items: number;
  bytes: number;
  keys: Map<string, string>;
  cursors: Set<string>;
}

export const LIST_KIND: ReadonlyMap<string, SurfaceKind> = new Map(
  SURFACE_KINDS.map((k) => [LIST_METHOD[k].method, k]),
);

export const LIST_CHANGED: Readonly<Record<string, SurfaceKind[]>> = {
  'notifications/tools/list_changed': ['tools'],
  'notifications/prompts/list_changed': ['prompts'],
  'notifications/resources/list_changed': ['resources', 'resourceTemplates'],
};

const MAX_LISTINGS = 256;
const MAX_CURSOR = 4096;

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Listings in progress, found again by the cursor their next page asks for (bounded, oldest dropped). */
export class Listings {
  private readonly open = new Map<string, Listing>();

  /** The listing a request with this cursor continues, or a new one. */
  forRequest(kind: SurfaceKind, origin: Origin, cursor: string | undefined): Listing {
    if (cursor !== undefined) {
      const mapKey = `${origin}\u0000${kind}\u0000${cursor}`;
      const existing = this.open.get(mapKey);
      if (existing) {
        this.open.delete(mapKey);
        return existing;
      }
    }
    const listing: Listing = { kind, origin, pages: 0, items: 0, bytes: 0, keys: new Map(), cursors: new Set() };
    if (cursor !== undefined) listing.cursors.add(cursor);
    return listing;
  }

  /** The listing goes on with the page at this cursor. */
  continueAt(listing: Listing, cursor: string): void {
    this.open.set(`${listing.origin}\u0000${listing.kind}\u0000${cursor}`, listing);
    if (this.open.size > MAX_LISTINGS) {
      const oldest = this.open.keys().next().value;
      if (oldest !== undefined) this.open.delete(oldest);
    }
  }
}

export type PageVerdict =
  /** The page breaks a bound or the protocol: the session ends. */
  | { fail: 'limit' | 'protocol'; reason: string }
  /** 2026-07-28 multi round-trip: the server asks the client for input before it lists anything. */
  | { inputRequired: true }
  | { items: JsonValue[]; nextCursor: string | null };

/** Count one page into its listing and check its shape and bounds (not its items). */
export function checkPage(listing: Listing, limits: GuardLimits, line: RawLine, result: JsonValue): PageVerdict {
  const { method, field } = LIST_METHOD[listing.kind];
  if (!isObject(result)) return { fail: 'protocol', reason: `${method} returned no result object` };
  const items = result[field];
  if (items === undefined && result.resultType === 'input_required') return { inputRequired: true };
  if (!Array.isArray(items)) return { fail: 'protocol', reason: `${method} returned no "${field}" array` };
  listing.pages += 1;
  listing.items += items.length;
  listing.bytes += lineLength(line);
  if (listing.pages > limits.maxPages)
    return { fail: 'limit', reason: `${method} has more than ${limits.maxPages} pages` };
  if (listing.items > limits.maxItems) {
    return {
      fail: 'limit',
      reason: `${method} lists more than ${limits.maxItems} items (run --max-items raises the cap)`,
    };
  }
  if (listing.bytes > limits.maxListBytes) {
    return { fail: 'limit', reason: `${method} sent more than ${limits.maxListBytes} bytes` };
  }
  const next = result.nextCursor;
  if (next === undefined || next === null || next === '') return { items, nextCursor: null };
  if (typeof next !== 'string' || next.length > MAX_CURSOR) {
    return { fail: 'protocol', reason: `${method} returned an invalid nextCursor` };
  }
  if (listing.cursors.has(next)) {
    return { fail: 'limit', reason: `${method} returned the same cursor twice (a cursor loop)` };
  }
  listing.cursors.add(next);
  return { items, nextCursor: next };
}

export interface ItemContext {
  surface: PinnedSurface;
  shadowing: ShadowingContext;
  blocked: BlockedItems;
}

/** The problem with one listed item, or null when it is pinned, unchanged and allowed. */
export function checkListedItem(ctx: ItemContext, listing: Listing, item: JsonValue): ItemProblem | null {
  const kind = listing.kind;
  if (!isObject(item)) return { kind, key: '(not an object)', status: 'malformed' };
  let key: string;
  try {
    key = itemKey(kind, item);
  } catch {
    return { kind, key: '(no key)', status: 'malformed' };
  }
  let verdict: ReturnType<typeof checkItem>;
  try {
    verdict = checkItem(ctx.surface.pins, kind, item);
  } catch {
    return { kind, key, status: 'malformed' };
  }
  const shadows = kind === 'tools' ? ctx.shadowing.otherTools.get(key) : undefined;
  const extra = shadows ? { shadows } : {};
  const firstDigest = listing.keys.get(key);
  if (firstDigest !== undefined) {
    return { kind, key, status: 'duplicate', expected: firstDigest, found: verdict.found, ...extra };
  }
  listing.keys.set(key, verdict.found);
  if (verdict.status === 'changed') {
    const changes = fieldDiff(ctx.surface.definitions[kind].get(key), item);
    return { kind, key, status: 'changed', expected: verdict.expected, found: verdict.found, changes, ...extra };
  }
  if (verdict.status === 'unpinned') {
    const renamed = kind === 'resourceTemplates' ? renamedTemplate(ctx.surface, item) : null;
    if (renamed) {
      const changes = fieldDiff(renamed.definition, item);
      return { kind, key: renamed.key, status: 'changed', expected: renamed.digest, found: verdict.found, changes };
    }
    return { kind, key, status: 'unpinned', found: verdict.found, ...extra };
  }
  if (ctx.blocked[kind].has(key)) {
    return { kind, key, status: 'previously-blocked', expected: verdict.expected, found: verdict.found };
  }
  if (kind === 'tools') {
    const collides = ctx.shadowing.blocked.get(key);
    if (collides) return { kind, key, status: 'shadowing', shadows: collides };
  }
  return null;
}

/**
 * A template is keyed by its uriTemplate, so a changed uriTemplate looks like a new template while the
 * pinned one vanishes. When exactly one pinned template has the same name, it is that template, changed:
 * reported as such, with a field diff a reviewer can act on.
 */
function renamedTemplate(
  surface: PinnedSurface,
  item: JsonObject,
): { key: string; digest: string; definition: JsonObject } | null {
  if (typeof item.name !== 'string') return null;
  let found: { key: string; digest: string; definition: JsonObject } | null = null;
  for (const [key, definition] of surface.definitions.resourceTemplates) {
    if (definition.name !== item.name) continue;
    if (found) return null;
    found = { key, digest: surface.pins.resourceTemplates[key]!, definition };
  }
  return found;
}

export function isDrift(problem: ItemProblem): boolean {
  return problem.status !== 'shadowing' && problem.status !== 'previously-blocked';
}

/**
 * Drift that stops the server in block mode. A resource that was not pinned is drift like an unpinned
 * tool, unless the pin records that the server adds resources at run time (files, session artifacts):
 * then it is only hidden, and reading it is refused unless a pinned resource template covers its URI.
 */
export function isBlocking(problem: ItemProblem, surface: PinnedSurface): boolean {
  if (!isDrift(problem)) return false;
  return !(surface.dynamicResources && problem.kind === 'resources' && problem.status === 'unpinned');
}

/**
 * Whether filter mode keeps a problem's key hidden and refused for the rest of the session. A verbatim
 * duplicate of a pinned item is only dropped; a differing one makes the key ambiguous, so it is refused.
 */
export function staysBlocked(problem: ItemProblem): boolean {
  return isDrift(problem) && !(problem.status === 'duplicate' && problem.expected === problem.found);
}
