// Shared by the registry benchmarks: registries on a store seeded in bulk (rows written directly: a
// snapshot file for the file store, batched INSERT … SELECT unnest for PostgreSQL; never one signed
// publish per version), served by the real app on 127.0.0.1, and a loopback client that keeps a fixed
// number of requests in flight and returns requests/s and latencies.

import { mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { verifyBundle } from '../adapters/sigstore/verify.ts';
import { sha256Hex } from '../core/canonical/digest.ts';
import { SERVER_JSON_SCHEMA } from '../core/manifest/manifest.ts';
import type { RegistryStore } from '../core/registry/ports.ts';
import type { VersionRecord } from '../core/registry/records.ts';
import { RegistryService } from '../core/registry/service.ts';
import { buildRegistryApp } from '../registry/app.ts';
import { loadOrCreateApprovalKey } from '../registry/keys/approval-key.ts';
import { emptyState, serializeSnapshot } from '../registry/store/file-state.ts';
import { FileRegistryStore } from '../registry/store/file-store.ts';
import { PgRegistryStore } from '../registry/store/pg/pg-store.ts';

/** Versions per server in the seeded data; the last of each is its latest. */
export const VERSIONS_PER_SERVER = 10;
const BLOB = Buffer.from('{"seeded":true}');
const BLOB_ID = sha256Hex(BLOB);

export const serverName = (i: number) => `io.github.acme/srv-${String(i).padStart(6, '0')}`;

/** `count` approved versions, in name-then-version order. */
export function seedRecords(count: number): VersionRecord[] {
  const out: VersionRecord[] = [];
  for (let i = 0; out.length < count; i++) {
    const name = serverName(i);
    for (let v = 0; v < VERSIONS_PER_SERVER && out.length < count; v++) {
      const version = `1.0.${v}`;
      const at = new Date(Date.UTC(2026, 0, 1, 0, 0, 0, out.length)).toISOString();
      out.push({
        name,
        version,
        namespace: 'io.github.acme',
        server: {
          $schema: SERVER_JSON_SCHEMA,
          name,
          version,
          description: `Weather and files tools, server ${i}`,
          title: `Server ${i}`,
          packages: [
            {
              registryType: 'npm',
              registryBaseUrl: 'https://registry.npmjs.org',
              identifier: `@acme/srv-${i}`,
              version,
              transport: { type: 'stdio' },
            },
          ],
        },
        status: 'approved',
        statusReason: null,
        statusChangedAt: at,
        manifestDigest: `sha256:${sha256Hex(`${name}@${version}`)}`,
        publishedAt: at,
        updatedAt: at,
        isLatest: v === VERSIONS_PER_SERVER - 1,
        signer: { type: 'key', keyId: 'b'.repeat(64) },
        approval: null,
        blobs: { manifest: BLOB_ID, publisherBundle: BLOB_ID, approvalBundle: null },
        publishedBy: 'tok_bench',
      });
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : 1));
}

/** A data directory holding `records`: one snapshot file, as a compaction writes it. */
export async function seedFileStore(dir: string, records: readonly VersionRecord[]): Promise<FileRegistryStore> {
  const state = emptyState();
  state.versions.load(records);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(join(dir, 'state.json'), serializeSnapshot(state), { mode: 0o600 });
  const store = await FileRegistryStore.open(dir);
  await store.transaction(async (tx) => {
    await tx.putBlob(BLOB);
  });
  return store;
}

/** A migrated database holding `records`, inserted in batches. */
export async function seedPgStore(url: string, records: readonly VersionRecord[]): Promise<PgRegistryStore> {
  const store = await PgRegistryStore.open(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('INSERT INTO blobs (id, bytes) VALUES ($1, $2) ON CONFLICT DO NOTHING', [BLOB_ID, BLOB]);
    for (let i = 0; i < records.length; i += 10_000) {
      const batch = records.slice(i, i + 10_000);
      const col = <T>(f: (r: VersionRecord) => T) => batch.map(f);
      await client.query(
        `INSERT INTO versions (name, version, namespace, status, is_latest, updated_at, manifest_digest,
           manifest_blob, publisher_bundle_blob, approval_bundle_blob, search_text, record)
         SELECT n, v, ns, s, l, u, d, b, b, NULL, t, r::json
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[], $7::text[],
                     $8::text[], $9::text[], $10::text[]) AS x(n, v, ns, s, l, u, d, b, t, r)`,
        [
          col((r) => r.name),
          col((r) => r.version),
          col((r) => r.namespace),
          col((r) => r.status),
          col((r) => r.isLatest),
          col((r) => r.updatedAt),
          col((r) => r.manifestDigest),
          col((r) => r.blobs.manifest),
          col((r) => `${r.name}\n${r.server.description}\n${r.server.title ?? ''}`.toLowerCase()),
          col((r) => JSON.stringify(r)),
        ],
      );
    }
    await client.query('ANALYZE versions');
  } finally {
    await client.end();
  }
  return store;
}

export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** The real registry app on `store`, listening on loopback. */
export async function serveStore(store: RegistryStore, keysDir: string) {
  const { signer } = await loadOrCreateApprovalKey(keysDir);
  const service = new RegistryService({
    store,
    verify: verifyBundle,
    approvalSigner: signer,
    registryId: () => 'http://bench',
  });
  const app = await buildRegistryApp({ service });
  return { app, service, url: await listen(app) };
}

/** Keep `inFlight` requests going for `seconds` (or until `maxRequests`); requests/s and every latency. */
export async function drive(
  url: string | (() => string),
  seconds: number,
  inFlight: number,
  maxRequests = Number.POSITIVE_INFINITY,
): Promise<{ rps: number; latencies: number[] }> {
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  let sent = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < deadline && sent < maxRequests) {
        sent++;
        const target = typeof url === 'string' ? url : url();
        const t = performance.now();
        const res = await fetch(target);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${target} answered ${res.status}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { rps: latencies.length / ((performance.now() - started) / 1000), latencies };
}
