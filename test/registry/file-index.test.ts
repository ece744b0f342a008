// The file store's in-memory index answers every query exactly as a scan of all records would (the
// definition in core/registry/ports.ts): random records, random curation (replacements that move records
// between lists), random queries with statuses, search, cursors, latest, exact versions, update times and
// names; pages walked to the end by keyset give every match once, in order.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { VersionQuery } from '../../core/registry/ports.ts';
import { compareKeys, type VersionRecord } from '../../core/registry/records.ts';
import { VERSION_STATUSES, type VersionStatus } from '../../core/registry/status.ts';
import { recordMatches, VersionIndex } from '../../registry/store/file-index.ts';

const NAMES = ['io.github.acme/alpha', 'io.github.acme/beta', 'io.github.zeta/weather', 'com.example/Wea-ther'];
const WORDS = ['weather', 'forecast', 'files', 'git', 'Weather API', 'wea', 'ALPHA tools', '100% _real_'];

function record(name: string, version: string, over: Partial<VersionRecord> = {}): VersionRecord {
  return {
    name,
    version,
    namespace: name.slice(0, name.indexOf('/')),
    server: { name, version, description: 'a server' } as VersionRecord['server'],
    status: 'pending',
    statusReason: null,
    statusChangedAt: '2026-01-01T00:00:00.000Z',
    manifestDigest: `sha256:${'0'.repeat(64)}`,
    publishedAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    isLatest: false,
    signer: { type: 'key', keyId: 'k1' },
    approval: null,
    blobs: { manifest: '0'.repeat(64), publisherBundle: '0'.repeat(64), approvalBundle: null },
    publishedBy: 'tok_test',
    ...over,
  };
}

const arbRecord = fc
  .record({
    name: fc.constantFrom(...NAMES),
    version: fc.constantFrom('1.0.0', '1.0.1', '2.0.0', '10.0.0', '0.1.0-beta'),
    status: fc.constantFrom(...VERSION_STATUSES),
    isLatest: fc.boolean(),
    minute: fc.integer({ min: 0, max: 59 }),
    description: fc.constantFrom(...WORDS),
    title: fc.option(fc.constantFrom(...WORDS), { nil: undefined }),
  })
  .map((r) =>
    record(r.name, r.version, {
      status: r.status,
      isLatest: r.isLatest,
      updatedAt: `2026-01-01T00:${String(r.minute).padStart(2, '0')}:00.000Z`,
      server: {
        name: r.name,
        version: r.version,
        description: r.description,
        ...(r.title ? { title: r.title } : {}),
      } as VersionRecord['server'],
    }),
  );

const arbQuery: fc.Arbitrary<VersionQuery> = fc
  .record({
    statuses: fc.subarray([...VERSION_STATUSES] as VersionStatus[], { minLength: 1 }),
    search: fc.option(fc.constantFrom('wea', 'WEATHER', 'ther', 'a', 'xyz', '100%', '_r', 'alpha/', 'api'), {
      nil: undefined,
    }),
    version: fc.option(fc.oneof(fc.constant({ latest: true as const }), fc.constant({ exact: '1.0.0' })), {
      nil: undefined,
    }),
    updatedSince: fc.option(fc.constantFrom('2026-01-01T00:30:00.000Z', '2026-01-01T00:58:00.000Z'), {
      nil: undefined,
    }),
    names: fc.option(fc.subarray(NAMES), { nil: undefined }),
    after: fc.option(fc.record({ name: fc.constantFrom(...NAMES), version: fc.constantFrom('1.0.0', '2.0.0') }), {
      nil: undefined,
    }),
    limit: fc.integer({ min: 1, max: 8 }),
  })
  .map((q) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as unknown as VersionQuery);

/** The definition: every record, filtered, in name-then-version order. */
function scan(all: Map<string, VersionRecord>, q: VersionQuery): VersionRecord[] {
  return [...all.values()]
    .filter((r) => recordMatches(r, q))
    .sort(compareKeys)
    .slice(0, q.limit);
}

describe('the file store index', () => {
  test('answers every query as a full scan would, after inserts and replacements, loaded or built up', () => {
    fc.assert(
      fc.property(
        fc.array(arbRecord, { maxLength: 40 }),
        fc.array(arbQuery, { minLength: 1, maxLength: 10 }),
        (puts, queries) => {
          const all = new Map<string, VersionRecord>();
          const built = new VersionIndex();
          // Tiny limits: the same queries through the ordered scan instead of the candidate sets.
          const scanning = new VersionIndex({ candidateMax: 1, textCheckMax: 1 });
          for (const r of puts) {
            all.set(`${r.name}\n${r.version}`, r);
            built.put(r);
            scanning.put(r);
          }
          const loaded = new VersionIndex();
          loaded.load(all.values());
          for (const q of queries) {
            const want = scan(all, q).map((r) => `${r.name}@${r.version}:${r.status}`);
            expect(built.query(q).map((r) => `${r.name}@${r.version}:${r.status}`)).toEqual(want);
            expect(loaded.query(q).map((r) => `${r.name}@${r.version}:${r.status}`)).toEqual(want);
            expect(scanning.query(q).map((r) => `${r.name}@${r.version}:${r.status}`)).toEqual(want);
          }
          expect(built.size).toBe(all.size);
          expect(built.serverNames()).toEqual([...new Set([...all.values()].map((r) => r.name))].sort());
        },
      ),
      { numRuns: 300 },
    );
  });

  test('keyset pages walked to the end give every match once, in order, at any page size', () => {
    const index = new VersionIndex();
    const all: VersionRecord[] = [];
    for (let i = 0; i < 500; i++) {
      const r = record(`io.github.acme/s${String(i % 50).padStart(2, '0')}`, `1.0.${Math.floor(i / 50)}`, {
        status: i % 3 === 0 ? 'pending' : 'approved',
        isLatest: Math.floor(i / 50) === 9,
      });
      all.push(r);
      index.put(r);
    }
    for (const limit of [1, 7, 100]) {
      const seen: string[] = [];
      let after: VersionQuery['after'];
      for (let pages = 0; pages < 1000; pages++) {
        const page = index.query({ statuses: ['approved'], limit, ...(after ? { after } : {}) });
        if (page.length === 0) break;
        seen.push(...page.map((r) => `${r.name}@${r.version}`));
        after = { name: page.at(-1)!.name, version: page.at(-1)!.version };
      }
      expect(seen).toEqual(
        all
          .filter((r) => r.status === 'approved')
          .sort(compareKeys)
          .map((r) => `${r.name}@${r.version}`),
      );
    }
  });

  test('a search whose trigram no text has finds nothing; a short one (under 3 characters) still matches', () => {
    const index = new VersionIndex();
    index.put(record('io.github.acme/git', '1.0.0', { status: 'approved' }));
    expect(index.query({ statuses: ['approved'], search: 'qqq', limit: 5 })).toEqual([]);
    expect(index.query({ statuses: ['approved'], search: 'GI', limit: 5 })).toHaveLength(1);
    expect(index.query({ statuses: ['approved'], search: 'cme/g', limit: 5 })).toHaveLength(1);
  });
});
