// The marketplace catalogue: which listed servers a reader's filters keep (status, transport, signer kind,
// category, tag), in which order (name; recently updated; recently approved), and a keyset cursor over that
// order, so the next page starts after the last server shown even if servers come and go in between.
// Pure: the caller hands it each server's latest listed version; categories and tags are the publisher's
// (server._meta["dev.mcp-lock/catalog"], bounded by the manifest schema).

import { McpLockError } from '../errors.ts';
import type { CatalogMeta } from '../generated/manifest.ts';
import { parseStrictJson } from '../json/strict-json.ts';
import { CATALOG_META_KEY } from './publish.ts';
import type { VersionRecord } from './records.ts';

export const CATALOGUE_SORTS = ['name', 'updated', 'approved'] as const;
export const CATALOGUE_STATUSES = ['approved', 'deprecated'] as const;
export const CATALOGUE_TRANSPORTS = ['stdio', 'streamable-http', 'sse'] as const;
export const SIGNER_KINDS = ['key', 'keyless'] as const;

export type CatalogueSort = (typeof CATALOGUE_SORTS)[number];

export interface CatalogueQuery {
  sort: CatalogueSort;
  status?: (typeof CATALOGUE_STATUSES)[number];
  transport?: (typeof CATALOGUE_TRANSPORTS)[number];
  signer?: (typeof SIGNER_KINDS)[number];
  category?: string;
  tag?: string;
  /** Start after this position (from a previous page's nextCursor). */
  after?: CataloguePosition;
}

interface CataloguePosition {
  sort: CatalogueSort;
  key: string;
  name: string;
}

export interface CatalogueFacts {
  transports: string[];
  signer: 'key' | 'keyless';
  categories: string[];
  tags: string[];
}

const TAG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The publisher's categories and tags, only the well-formed ones (records predate any schema change). */
export function catalogMetaOf(record: Pick<VersionRecord, 'server'>): { categories: string[]; tags: string[] } {
  const meta = (record.server._meta?.[CATALOG_META_KEY] ?? {}) as CatalogMeta;
  const words = (list: unknown, max: number) =>
    Array.isArray(list)
      ? list.filter((t): t is string => typeof t === 'string' && t.length <= 32 && TAG.test(t)).slice(0, max)
      : [];
  return { categories: words(meta.categories, 3), tags: words(meta.tags, 8) };
}

export function catalogueFacts(record: VersionRecord): CatalogueFacts {
  const transports = new Set<string>();
  for (const p of record.server.packages ?? []) transports.add(p.transport.type);
  for (const r of record.server.remotes ?? []) transports.add(r.type);
  return { transports: [...transports].sort(), signer: record.signer.type, ...catalogMetaOf(record) };
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T | undefined {
  if (value === undefined || value === '') return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new McpLockError('USAGE', `${what} must be one of ${allowed.join(', ')}`, {
    hint: 'Pick a value from the form, or remove it from the address to see every server.',
  });
}

function word(value: string | undefined, what: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.length <= 32 && TAG.test(value)) return value;
  throw new McpLockError('USAGE', `${what} is a lower-case word with hyphens (at most 32 characters)`, {
    hint: 'Follow a tag or category link, or remove it from the address.',
  });
}

const bad = () =>
  new McpLockError('USAGE', 'the cursor is not one this catalogue returned (or belongs to another sort)', {
    hint: 'Follow the "Next page" link unchanged, or start over from the first page.',
  });

function decodePosition(cursor: string, sort: CatalogueSort): CataloguePosition {
  if (cursor.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad();
  let value: unknown;
  try {
    value = parseStrictJson(Buffer.from(cursor, 'base64url'), 'cursor', { maxBytes: 1024, maxDepth: 2 });
  } catch {
    throw bad();
  }
  if (!Array.isArray(value) || value.length !== 3 || !value.every((v) => typeof v === 'string')) throw bad();
  const [s, key, name] = value as [string, string, string];
  if (s !== sort || name === '') throw bad();
  return { sort, key, name };
}

function encodePosition(p: CataloguePosition): string {
  return Buffer.from(JSON.stringify([p.sort, p.key, p.name]), 'utf8').toString('base64url');
}

/** A reader's filters from a query string: unknown values are USAGE errors, empty ones mean "any". */
export function parseCatalogueQuery(raw: Record<string, string | undefined>): CatalogueQuery {
  const sort = oneOf(raw.sort, CATALOGUE_SORTS, 'sort') ?? 'name';
  const query: CatalogueQuery = { sort };
  const status = oneOf(raw.status, CATALOGUE_STATUSES, 'status');
  const transport = oneOf(raw.transport, CATALOGUE_TRANSPORTS, 'transport');
  const signer = oneOf(raw.signer, SIGNER_KINDS, 'signer');
  const category = word(raw.category, 'category');
  const tag = word(raw.tag, 'tag');
  if (status) query.status = status;
  if (transport) query.transport = transport;
  if (signer) query.signer = signer;
  if (category) query.category = category;
  if (tag) query.tag = tag;
  if (raw.cursor) query.after = decodePosition(raw.cursor, sort);
  return query;
}

function sortKey(record: VersionRecord, sort: CatalogueSort): string {
  if (sort === 'updated') return record.updatedAt;
  if (sort === 'approved') return record.approval?.approvedAt ?? '';
  return record.name;
}

/** Name ascending; otherwise newest first (never approved last), ties by name. */
function compare(a: CataloguePosition, b: CataloguePosition): number {
  if (a.sort !== 'name' && a.key !== b.key) return a.key > b.key ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function keeps(record: VersionRecord, q: CatalogueQuery): boolean {
  if (q.status && record.status !== q.status) return false;
  const facts = catalogueFacts(record);
  if (q.transport && !facts.transports.includes(q.transport)) return false;
  if (q.signer && facts.signer !== q.signer) return false;
  if (q.category && !facts.categories.includes(q.category)) return false;
  if (q.tag && !facts.tags.includes(q.tag)) return false;
  return true;
}

export interface CataloguePage {
  items: VersionRecord[];
  nextCursor?: string;
  /** How many servers match the filters in all. */
  matched: number;
}

/** One page of the servers the query keeps, in its order, starting after its cursor. */
export function selectCatalogue(records: readonly VersionRecord[], q: CatalogueQuery, limit: number): CataloguePage {
  const position = (r: VersionRecord): CataloguePosition => ({ sort: q.sort, key: sortKey(r, q.sort), name: r.name });
  const kept = records
    .filter((r) => keeps(r, q))
    .map((r) => ({ r, p: position(r) }))
    .sort((a, b) => compare(a.p, b.p));
  const after = q.after;
  const rest = after ? kept.filter(({ p }) => compare(p, after) > 0) : kept;
  const items = rest.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(({ r }) => r),
    matched: kept.length,
    ...(rest.length > limit && last ? { nextCursor: encodePosition(last.p) } : {}),
  };
}

/** Categories and tags in use with how many servers carry each, most used first (for the filter lists). */
export function catalogueFacets(records: readonly VersionRecord[]): {
  categories: [string, number][];
  tags: [string, number][];
} {
  const count = (pick: (f: ReturnType<typeof catalogMetaOf>) => string[]) => {
    const counts = new Map<string, number>();
    for (const r of records) for (const t of pick(catalogMetaOf(r))) counts.set(t, (counts.get(t) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  };
  return { categories: count((m) => m.categories), tags: count((m) => m.tags).slice(0, 30) };
}
