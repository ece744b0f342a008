// The registry as a TUF repository: tuf-js, configured with nothing but the root and two URLs, reads
// status, latest and digests from signed targets; every curation re-signs them in its transaction; the
// timestamp is re-signed before it expires; root rotation follows the chain; the two-person rule holds.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Updater } from 'tuf-js';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { generateKeyPair, parsePrivateKey } from '../../adapters/sigstore/keys.ts';
import { tufSignerOf } from '../../adapters/tuf/keys.ts';
import { manifestDigest } from '../../core/manifest/manifest.ts';
import { DEFAULT_TUF_EXPIRIES, parseRoot, parseTargets, parseTimestamp } from '../../core/registry/tuf/metadata.ts';
import { applyRoot, currentRoot, proposeRoot, signRoot } from '../../core/registry/tuf/root-admin.ts';
import {
  indexTargetPath,
  readServerIndex,
  readVersionTarget,
  versionTargetPath,
} from '../../core/registry/tuf/targets.ts';
import { TUF_LOCAL_ROOT_KEY_FILE } from '../../registry/keys/tuf-keys.ts';
import { expectCodeAsync } from '../helpers/expect-code.ts';
import { curate, makeRegistry, newToken, publish, syntheticManifest, type TestRegistry } from './helpers.ts';

const NAME = 'io.github.acme/weather';

let reg: TestRegistry;
let base: string;
let cache: string;

beforeEach(async () => {
  reg = await makeRegistry();
  await reg.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(reg.app.server.address() as AddressInfo).port}`;
  cache = await mkdtemp(join(tmpdir(), 'mcp-lock-tuf-client-'));
});

afterEach(async () => {
  await reg.close();
  await rm(cache, { recursive: true, force: true });
});

/** A plain tuf-js client: the pinned root and the two URLs, nothing else. */
async function client(root?: Uint8Array): Promise<Updater> {
  await writeFile(join(cache, 'root.json'), root ?? (await reg.store.getTufMetadata('root', 1))!);
  return new Updater({
    metadataDir: cache,
    metadataBaseUrl: `${base}/mcp-lock/v1/tuf/`,
    targetBaseUrl: `${base}/mcp-lock/v1/tuf/targets/`,
    targetDir: cache,
  });
}

async function published(version: string, approve = true) {
  const manifest = syntheticManifest({ version });
  expect((await publish(reg, manifest)).statusCode).toBe(201);
  if (approve) expect((await curate(reg, NAME, version, 'approve')).statusCode).toBe(200);
  return manifest;
}

const timestampVersion = async () => parseTimestamp((await reg.store.getTufMetadata('timestamp'))!).signed.version;

describe('signed registry state', () => {
  test('tuf-js reads an approved version: status, manifest digest, approval digest, latest, and the manifest bytes', async () => {
    const manifest = await published('1.0.0');
    const updater = await client();
    await updater.refresh();
    const target = (await updater.getTargetInfo(versionTargetPath(NAME, '1.0.0')))!;
    const facts = readVersionTarget(target);
    expect(facts).toMatchObject({ status: 'approved', statusReason: null, manifestDigest: manifestDigest(manifest) });
    const bundle = await reg.app.inject(
      `/mcp-lock/v1/servers/${encodeURIComponent(NAME)}/versions/1.0.0/bundles/approval`,
    );
    const { createHash } = await import('node:crypto');
    expect(facts.approvalBundle).toBe(`sha256:${createHash('sha256').update(bundle.rawPayload).digest('hex')}`);
    const file = await updater.downloadTarget(target, join(cache, 'manifest.json'));
    const served = await reg.app.inject(`/mcp-lock/v1/servers/${encodeURIComponent(NAME)}/versions/1.0.0/manifest`);
    expect(Buffer.compare(await readFile(file), served.rawPayload)).toBe(0);
    const index = readServerIndex((await updater.getTargetInfo(indexTargetPath(NAME)))!);
    expect(index).toEqual({
      name: NAME,
      latest: '1.0.0',
      versions: [{ version: '1.0.0', status: 'approved', statusReason: null }],
    });
  });

  test('a pending version is not in the targets, and its manifest blob is not reachable as a target', async () => {
    await published('1.0.0');
    const pending = await published('1.1.0', false);
    const updater = await client();
    await updater.refresh();
    expect(await updater.getTargetInfo(versionTargetPath(NAME, '1.1.0'))).toBeUndefined();
    expect(await updater.getTargetInfo(versionTargetPath(NAME, '1.0.0'))).toBeDefined();
    const hash = manifestDigest(pending).slice('sha256:'.length);
    const res = await reg.app.inject(`/mcp-lock/v1/tuf/targets/servers/io.github.acme/weather/${hash}.1.1.0.json`);
    expect(res.statusCode).toBe(404);
  });

  test('a yank is signed before it is acknowledged: new versions, the status and reason in the target, latest moves', async () => {
    await published('1.0.0');
    await published('1.1.0');
    const before = await timestampVersion();
    const res = await curate(reg, NAME, '1.1.0', 'yank', { reason: 'leaks tokens' });
    expect(res.statusCode).toBe(200);
    expect(await timestampVersion()).toBe(before + 1);
    const updater = await client();
    await updater.refresh();
    expect(readVersionTarget((await updater.getTargetInfo(versionTargetPath(NAME, '1.1.0')))!)).toMatchObject({
      status: 'yanked',
      statusReason: 'leaks tokens',
    });
    expect(readServerIndex((await updater.getTargetInfo(indexTargetPath(NAME)))!).latest).toBe('1.0.0');
  });

  test('a refused curation writes no metadata', async () => {
    await published('1.0.0');
    const before = await timestampVersion();
    expect((await curate(reg, NAME, '1.0.0', 'approve', { token: reg.tokens.otherCurator })).statusCode).toBe(403);
    expect((await curate(reg, NAME, '1.0.0', 'reject', { reason: 'late' })).statusCode).toBe(409);
    expect(await timestampVersion()).toBe(before);
  });

  test('metadata is served by the names TUF clients ask for, and nothing else', async () => {
    for (const ok of ['1.root.json', 'timestamp.json', '1.snapshot.json', '1.targets.json']) {
      expect((await reg.app.inject(`/mcp-lock/v1/tuf/${ok}`)).statusCode, ok).toBe(200);
    }
    for (const bad of ['2.root.json', '0.root.json', 'keys.json', '..%2Fstate.json', '1.timestamp.jsonx']) {
      expect((await reg.app.inject(`/mcp-lock/v1/tuf/${bad}`)).statusCode, bad).toBe(404);
    }
    const doc = (await reg.app.inject('/openapi.json')).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/mcp-lock/v1/tuf/{file}',
        '/mcp-lock/v1/tuf/targets/servers/{namespace}/{server}/{file}',
      ]),
    );
  });
});

describe('freshness', () => {
  test('the timestamp is re-signed once it passed half its life; fresh state is left alone', async () => {
    expect(await reg.tuf.refreshIfDue(reg.store)).toBe('fresh');
    const { TufRepository } = await import('../../core/registry/tuf/repository.ts');
    const { loadOnlineSigner } = await import('../../registry/keys/tuf-keys.ts');
    const { signer } = await loadOnlineSigner(reg.dataDir);
    const later = new TufRepository({
      online: signer,
      expiries: DEFAULT_TUF_EXPIRIES,
      now: () => new Date(Date.now() + 13 * 3600 * 1000),
    });
    const before = await timestampVersion();
    expect(await later.refreshIfDue(reg.store)).toBe('timestamp');
    expect(await timestampVersion()).toBe(before + 1);
    const expires = parseTimestamp((await reg.store.getTufMetadata('timestamp'))!).signed.expires;
    expect(Date.parse(expires)).toBeGreaterThan(Date.now() + 36 * 3600 * 1000);
    const weekLater = new TufRepository({
      online: signer,
      expiries: DEFAULT_TUF_EXPIRIES,
      now: () => new Date(Date.now() + 4 * 86400 * 1000),
    });
    const targetsBefore = parseTargets((await reg.store.getTufMetadata('targets'))!).signed.version;
    expect(await weekLater.refreshIfDue(reg.store)).toBe('all');
    expect(parseTargets((await reg.store.getTufMetadata('targets'))!).signed.version).toBe(targetsBefore + 1);
  });
});

describe('root rotation', () => {
  async function localRootSigner() {
    return tufSignerOf(parsePrivateKey(await readFile(join(reg.dataDir, TUF_LOCAL_ROOT_KEY_FILE), 'utf8')));
  }

  test('a root signed by the old and the new keys is stored and a client walks the chain to it', async () => {
    await published('1.0.0');
    const v1 = (await reg.store.getTufMetadata('root', 1))!;
    const current = (await currentRoot(reg.store))!;
    const next = tufSignerOf(parsePrivateKey(generateKeyPair('ed25519').privateKeyPem));
    const online = current.signed.keys[current.signed.roles.timestamp!.keyIDs[0]!]!;
    const proposed = proposeRoot(current, {
      rootKeys: [next.publicKey],
      rootThreshold: 1,
      online: { keytype: 'ed25519', scheme: 'ed25519', public: online.keyVal.public! },
      expiries: DEFAULT_TUF_EXPIRIES,
      now: new Date(),
    });
    signRoot(current, proposed, [await localRootSigner(), next]);
    const status = await applyRoot(reg.store, proposed, reg.tuf);
    expect(status).toMatchObject({ version: 2, complete: true });
    const updater = await client(v1);
    await updater.refresh();
    expect(parseRoot(await readFile(join(cache, 'root.json'))).signed.version).toBe(2);
  });

  test('a root not signed by the previous root keys, or skipping a version, is refused and not stored', async () => {
    const current = (await currentRoot(reg.store))!;
    const next = tufSignerOf(parsePrivateKey(generateKeyPair('ed25519').privateKeyPem));
    const online = current.signed.keys[current.signed.roles.timestamp!.keyIDs[0]!]!;
    const plan = {
      rootKeys: [next.publicKey],
      rootThreshold: 1,
      online: { keytype: 'ed25519' as const, scheme: 'ed25519' as const, public: online.keyVal.public! },
      expiries: DEFAULT_TUF_EXPIRIES,
      now: new Date(),
    };
    const onlyNew = proposeRoot(current, plan);
    signRoot(current, onlyNew, [next]);
    await expectCodeAsync(() => applyRoot(reg.store, onlyNew, reg.tuf), 'SIGNATURE_INVALID');
    const skipping = proposeRoot(proposeRoot(current, plan), plan);
    signRoot(current, skipping, [await localRootSigner(), next]);
    await expectCodeAsync(() => applyRoot(reg.store, skipping, reg.tuf), 'CONFLICT');
    expect(await reg.store.getTufMetadata('root', 2)).toBeUndefined();
  });
});

describe('two-person rule', () => {
  test('the publishing token cannot approve; another curator can (the benign twin)', async () => {
    const admin = reg.tokens.admin;
    await published('1.0.0', false);
    const manifest = syntheticManifest({ version: '2.0.0' });
    expect((await publish(reg, manifest, { token: admin })).statusCode).toBe(201);
    const refused = await curate(reg, NAME, '2.0.0', 'approve', { token: admin });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: { code: 'FORBIDDEN', data: { rule: 'two-person' } } });
    const still = await reg.app.inject({
      url: `/mcp-lock/v1/servers/${encodeURIComponent(NAME)}/versions/2.0.0`,
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(still.json()).toMatchObject({ status: 'pending' });
    expect((await curate(reg, NAME, '2.0.0', 'approve')).statusCode).toBe(200);
  });

  test('the same principal with another token cannot approve either', async () => {
    const sameHolder = await newToken(reg.store, 'curator', ['io.github.acme/*'], 'acme-ci');
    await published('1.0.0', false);
    expect((await curate(reg, NAME, '1.0.0', 'approve', { token: sameHolder })).statusCode).toBe(403);
  });
});

describe('distinct curators per namespace', () => {
  test('with two required, the first approval keeps it pending, a repeat is refused, the second approves', async () => {
    await reg.close();
    reg = await makeRegistry({ curatorsRequired: { 'io.github.acme': 2 } });
    await published('1.0.0', false);
    const first = await curate(reg, NAME, '1.0.0', 'approve');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ status: 'pending' });
    expect((await curate(reg, NAME, '1.0.0', 'approve')).statusCode).toBe(409);
    const carol = await newToken(reg.store, 'curator', ['io.github.acme/*'], 'carol');
    const second = await curate(reg, NAME, '1.0.0', 'approve', { token: carol });
    expect(second.json()).toMatchObject({ status: 'approved' });
  });
});
