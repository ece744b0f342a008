// The fault test of the PostgreSQL registry (issue #15): 60 s of loopback load on two `registry serve
// --database-url` replicas, mixed reads (list, search, a version, its manifest bytes) with publishes and
// approvals; one replica is SIGKILLed mid-run and started again, and PostgreSQL is restarted once.
// The client is a tiny client-side failover (what a load balancer does): a request that cannot reach a
// replica (connection refused or reset) goes to the other one; a 500 while the database is away is
// retried later with the same body. What must hold: no acknowledged write is lost, every audit event
// matches the stored state and the state matches the audit, reads keep being served by the surviving
// replica, and a failure is always a STORAGE_ERROR (fail closed), never a wrong answer.
// Bounded: a fixed load window, a cap on publishes, a timeout on every request, 127.0.0.1 only.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { generateKeyPair } from '../../adapters/sigstore/keys.ts';
import { canonicalDigest } from '../../core/canonical/digest.ts';
import { PgRegistryStore } from '../../registry/store/pg/pg-store.ts';
import { startPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { type RegistryProcess, startRegistryProcess } from '../helpers/registry-process.ts';
import { newToken, publishBody, registerPublisherKey, sign, syntheticManifest } from '../registry/helpers.ts';

const NAME = 'io.github.acme/faults';
const LOAD_MS = 60_000;
const KILL_AT = 12_000;
const RESTART_REPLICA_AT = 20_000;
const RESTART_POSTGRES_AT = 36_000;
const MAX_PUBLISHES = 2_000;
const REQUEST_TIMEOUT_MS = 10_000;

let postgres: TestPostgres;
let databaseUrl: string;
let work: string;
let keys: string;
const replicas: RegistryProcess[] = [];
const tokens = { publisher: '', curator: '' };
const publisherKey = generateKeyPair();

beforeAll(async () => {
  postgres = await startPostgres();
  databaseUrl = await postgres.createDatabase();
  work = await mkdtemp(join(tmpdir(), 'mcp-lock-pg-faults-'));
  const store = await PgRegistryStore.open(databaseUrl);
  try {
    await registerPublisherKey(store, publisherKey);
    tokens.publisher = await newToken(store, 'publisher', ['io.github.acme/*']);
    tokens.curator = await newToken(store, 'curator', ['io.github.acme/*']);
  } finally {
    await store.close();
  }
  keys = join(work, 'keys'); // one key directory: both replicas sign approvals with the same key
  replicas.push(...(await Promise.all([0, 1].map(() => startRegistryProcess(keys, ['--database-url', databaseUrl])))));
}, 180_000);

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  await postgres?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const path = (version: string, tail = '') =>
  `/mcp-lock/v1/servers/${encodeURIComponent(NAME)}/versions/${version}${tail}`;

test(`${LOAD_MS / 1000} s of mixed load; a replica SIGKILLed and restarted, PostgreSQL restarted: nothing acknowledged is lost, the audit matches, reads fail over`, async () => {
  const started = performance.now();
  const now = () => performance.now() - started;
  /** version → digest, only once a replica answered 201 or 200 (acknowledged). */
  const acked = new Map<string, string>();
  const approved = new Set<string>();
  const down = { replica0: false };
  const stats = {
    failovers: 0,
    storageErrors: 0,
    readsWhileReplicaDown: 0,
    okReads: 0,
    servedBy: [0, 0],
    publishes: 0,
  };
  const failures: string[] = [];
  let turn = 0;
  let stopping = false;

  /** One request through the failover client: each attempt goes to the next replica; unreachable moves on. */
  async function request(url: string, init: RequestInit = {}): Promise<{ status: number; body: Buffer }> {
    for (let attempt = 0; ; attempt++) {
      const index = turn++ % replicas.length;
      try {
        const res = await fetch(`${replicas[index]!.url}${url}`, {
          ...init,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const body = Buffer.from(await res.arrayBuffer());
        if (res.status < 500) stats.servedBy[index]!++;
        if (res.status >= 500) {
          // Fail closed while the database is away: the hidden 500 of a STORAGE_ERROR, nothing else.
          stats.storageErrors++;
          const code = (JSON.parse(body.toString('utf8')) as { error?: { code?: string }; code?: string }).error?.code;
          if (code !== 'STORAGE_ERROR' && JSON.parse(body.toString('utf8')).code !== 'STORAGE_ERROR') {
            failures.push(`${url}: ${res.status} ${body.toString('utf8').slice(0, 200)}`);
          }
        }
        return { status: res.status, body };
      } catch (error) {
        stats.failovers++;
        if (attempt >= 40) throw error;
        await pause(25);
      }
    }
  }

  const auth = (token: string) => ({
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
  });

  async function writer(id: number): Promise<void> {
    for (let n = 0; !stopping && stats.publishes < MAX_PUBLISHES; n++) {
      stats.publishes++;
      const version = `1.${id}.${n}`;
      const m = syntheticManifest({ name: NAME, version });
      const body = publishBody(m, await sign(m, publisherKey));
      // Retried with identical content until acknowledged: a retry of a write that did commit is a 200.
      for (let attempt = 0; ; attempt++) {
        const res = await request('/mcp-lock/v1/publish', { method: 'POST', headers: auth(tokens.publisher), body });
        if (res.status === 201 || res.status === 200) {
          const digest = (JSON.parse(res.body.toString('utf8')) as { version: { manifestDigest: string } }).version
            .manifestDigest;
          if (digest !== canonicalDigest(m)) failures.push(`${version}: acknowledged with digest ${digest}`);
          acked.set(version, digest);
          break;
        }
        if (res.status !== 500 || attempt > 100) {
          failures.push(`publish ${version}: ${res.status} ${res.body.toString('utf8').slice(0, 200)}`);
          return;
        }
        await pause(100);
      }
      // Every fourth version is approved (a countersignature, a status change, its own audit event).
      if (n % 4 === 0) {
        for (let attempt = 0; ; attempt++) {
          const res = await request(path(version, '/approve'), {
            method: 'POST',
            headers: auth(tokens.curator),
            body: '{}',
          });
          if (res.status === 200) {
            approved.add(version);
            break;
          }
          if (res.status !== 500 || attempt > 100) {
            failures.push(`approve ${version}: ${res.status} ${res.body.toString('utf8').slice(0, 200)}`);
            return;
          }
          await pause(100);
        }
      }
    }
  }

  /** Reads of what was acknowledged: never a 404 or another digest, whichever replica answers. */
  async function reader(kind: number): Promise<void> {
    const headers = { authorization: `Bearer ${tokens.curator}` };
    for (let i = 0; !stopping; i++) {
      const versions = [...acked.keys()];
      const version = versions[Math.floor(Math.random() * versions.length)];
      const wasDown = down.replica0;
      let res: { status: number; body: Buffer };
      if (kind === 0 || version === undefined) {
        res = await request(i % 2 ? '/v0.1/servers?limit=5' : '/v0.1/servers?search=faults&limit=5');
      } else if (kind === 1) {
        res = await request(path(version), { headers });
        if (res.status === 200) {
          const digest = (JSON.parse(res.body.toString('utf8')) as { manifestDigest: string }).manifestDigest;
          if (digest !== acked.get(version)) failures.push(`read ${version}: digest ${digest}`);
        }
      } else {
        res = await request(path(version, '/manifest'), { headers });
        if (res.status === 200 && canonicalDigest(JSON.parse(res.body.toString('utf8'))) !== acked.get(version)) {
          failures.push(`manifest ${version}: other bytes`);
        }
      }
      if (res.status === 200) {
        stats.okReads++;
        if (wasDown && down.replica0) stats.readsWhileReplicaDown++;
      } else if (res.status !== 500) {
        failures.push(`read (${kind}) ${version}: ${res.status} ${res.body.toString('utf8').slice(0, 200)}`);
      } else {
        await pause(50);
      }
    }
  }

  async function faults(): Promise<void> {
    await pause(KILL_AT - now());
    down.replica0 = true;
    await replicas[0]!.kill();
    await pause(RESTART_REPLICA_AT - now());
    replicas[0] = await startRegistryProcess(keys, ['--database-url', databaseUrl]);
    down.replica0 = false;
    await pause(RESTART_POSTGRES_AT - now());
    await postgres.restart();
    await pause(LOAD_MS - now());
    stopping = true;
  }

  await Promise.all([faults(), writer(0), writer(1), writer(2), reader(0), reader(1), reader(2)]);

  expect(failures).toEqual([]);
  expect(acked.size).toBeGreaterThan(50);
  expect(approved.size).toBeGreaterThan(10);
  expect(stats.failovers, 'the killed replica was noticed and requests moved on').toBeGreaterThan(0);
  expect(stats.readsWhileReplicaDown, 'the surviving replica served reads').toBeGreaterThan(10);
  expect(stats.storageErrors, 'the database restart was felt (and answered with STORAGE_ERROR)').toBeGreaterThan(0);
  expect(stats.servedBy.every((n) => n > 0)).toBe(true);

  // After the faults both replicas answer again, with every acknowledged write (a sample over HTTP).
  const sample = [...acked].filter((_, i) => i % Math.max(1, Math.floor(acked.size / 60)) === 0);
  for (const replica of replicas) {
    for (const [version, digest] of sample) {
      const res = await fetch(`${replica.url}${path(version)}`, {
        headers: { authorization: `Bearer ${tokens.curator}` },
      });
      expect(res.status, version).toBe(200);
      const doc = (await res.json()) as { manifestDigest: string; status: string };
      expect(doc.manifestDigest).toBe(digest);
      if (approved.has(version)) expect(doc.status).toBe('approved');
    }
  }

  // The whole state against the whole audit log, in both directions.
  const store = await PgRegistryStore.open(databaseUrl);
  try {
    const stored = await store.listVersions(NAME);
    const byVersion = new Map(stored.map((r) => [r.version, r]));
    for (const [version, digest] of acked) expect(byVersion.get(version)?.manifestDigest, version).toBe(digest);
    for (const version of approved) expect(byVersion.get(version)?.status, version).toBe('approved');

    const events = await store.readAudit({ limit: 100_000 });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const mine = events.filter((e) => e.name === NAME);
    const published = mine.filter((e) => e.action === 'publish').map((e) => `${e.version} ${e.digest}`);
    expect(new Set(published).size, 'one publish event per version, even for retried publishes').toBe(published.length);
    expect(published.sort()).toEqual(stored.map((r) => `${r.version} ${r.manifestDigest}`).sort());
    const approvals = mine.filter((e) => e.action === 'approve').map((e) => e.version);
    expect(new Set(approvals).size).toBe(approvals.length);
    expect(approvals.sort()).toEqual(
      stored
        .filter((r) => r.status === 'approved')
        .map((r) => r.version)
        .sort(),
    );
    expect(mine).toHaveLength(published.length + approvals.length);
  } finally {
    await store.close();
  }
}, 150_000);
