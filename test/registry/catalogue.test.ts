// The catalogue's pure rules (core/registry/catalogue.ts): what each filter keeps, the three orders with
// their ties, keyset cursors that resume exactly after the last item shown (and refuse any cursor made for
// another order or not made here), and facets counted from well-formed publisher tags only.

import { describe, expect, test } from 'vitest';
import {
  catalogueFacets,
  catalogueFacts,
  parseCatalogueQuery,
  selectCatalogue,
} from '../../core/registry/catalogue.ts';
import type { VersionRecord } from '../../core/registry/records.ts';
import { expectCode } from '../helpers/expect-code.ts';

function record(name: string, over: Partial<VersionRecord> & { meta?: unknown; remote?: boolean } = {}): VersionRecord {
  const { meta, remote, ...rest } = over;
  return {
    name,
    version: '1.0.0',
    namespace: 'io.github.acme',
    server: {
      name,
      description: 'd',
      version: '1.0.0',
      ...(remote
        ? { remotes: [{ type: 'streamable-http', url: 'https://x.example/mcp' }] }
        : { packages: [{ registryType: 'npm', identifier: 'x', version: '1.0.0', transport: { type: 'stdio' } }] }),
      ...(meta ? { _meta: { 'dev.mcp-lock/catalog': meta } } : {}),
    },
    status: 'approved',
    statusReason: null,
    statusChangedAt: '2026-01-01T00:00:00.000Z',
    manifestDigest: `sha256:${'0'.repeat(64)}`,
    publishedAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    isLatest: true,
    signer: { type: 'key', keyId: 'k' },
    approval: { keyId: 'a', approvedAt: '2026-01-02T00:00:00.000Z', curator: 'alice' },
    blobs: { manifest: 'm', publisherBundle: 'p', approvalBundle: 'a' },
    publishedBy: 't',
    ...rest,
  } as VersionRecord;
}

const at = (day: number) => `2026-02-${String(day).padStart(2, '0')}T00:00:00.000Z`;
const RECORDS = [
  record('b', {
    updatedAt: at(5),
    approval: { keyId: 'a', approvedAt: at(1), curator: 'x' },
    meta: { tags: ['maps'] },
  }),
  record('a', { updatedAt: at(3), approval: null, status: 'deprecated', remote: true }),
  record('d', {
    updatedAt: at(5),
    approval: { keyId: 'a', approvedAt: at(4), curator: 'x' },
    meta: { tags: ['maps', 'x'] },
  }),
  record('c', {
    updatedAt: at(1),
    signer: { type: 'keyless', identity: 'i', issuer: 'https://issuer.example' },
    approval: { keyId: 'a', approvedAt: at(4), curator: 'x' },
    meta: { categories: ['data'], tags: ['<b>', 'Maps'] },
  }),
];
const namesOf = (q: Record<string, string>, limit = 10) =>
  selectCatalogue(RECORDS, parseCatalogueQuery(q), limit).items.map((r) => r.name);

describe('the catalogue', () => {
  test('filters by status, transport, signer kind, category and tag', () => {
    expect(namesOf({})).toEqual(['a', 'b', 'c', 'd']);
    expect(namesOf({ status: 'deprecated' })).toEqual(['a']);
    expect(namesOf({ transport: 'streamable-http' })).toEqual(['a']);
    expect(namesOf({ transport: 'stdio', signer: 'keyless' })).toEqual(['c']);
    expect(namesOf({ category: 'data' })).toEqual(['c']);
    expect(namesOf({ tag: 'maps' })).toEqual(['b', 'd']);
    expect(catalogueFacts(RECORDS[3]!)).toEqual({
      transports: ['stdio'],
      signer: 'keyless',
      categories: ['data'],
      tags: [],
    });
  });

  test('orders newest first for updated and approved, ties by name, never approved last', () => {
    expect(namesOf({ sort: 'updated' })).toEqual(['b', 'd', 'a', 'c']);
    expect(namesOf({ sort: 'approved' })).toEqual(['c', 'd', 'b', 'a']);
  });

  test('a cursor resumes right after the last item shown, in every order', () => {
    for (const sort of ['name', 'updated', 'approved']) {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 10; i++) {
        const page = selectCatalogue(RECORDS, parseCatalogueQuery({ sort, ...(cursor ? { cursor } : {}) }), 1);
        seen.push(...page.items.map((r) => r.name));
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      expect(seen).toEqual(namesOf({ sort }));
    }
  });

  test('refuses unknown filter values and cursors of another sort or not made here', () => {
    expectCode(() => parseCatalogueQuery({ sort: 'stars' }), 'USAGE');
    expectCode(() => parseCatalogueQuery({ transport: 'carrier-pigeon' }), 'USAGE');
    expectCode(() => parseCatalogueQuery({ tag: '<script>' }), 'USAGE');
    expectCode(() => parseCatalogueQuery({ tag: 'x'.repeat(33) }), 'USAGE');
    const cursor = selectCatalogue(RECORDS, parseCatalogueQuery({ sort: 'updated' }), 1).nextCursor!;
    expectCode(() => parseCatalogueQuery({ sort: 'name', cursor }), 'USAGE');
    expectCode(() => parseCatalogueQuery({ cursor: Buffer.from('["name",1,"a"]').toString('base64url') }), 'USAGE');
    expectCode(() => parseCatalogueQuery({ cursor: '!!' }), 'USAGE');
  });

  test('facets count well-formed tags only, most used first', () => {
    expect(catalogueFacets(RECORDS)).toEqual({
      categories: [['data', 1]],
      tags: [
        ['maps', 2],
        ['x', 1],
      ],
    });
  });
});
