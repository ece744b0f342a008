// The read side through inject: the official API (listing, pagination, search, updated_since,
// version=latest, include_deleted, versions, one version, URL-encoded names, CORS, /v0 alias), mcp-lock's
// own endpoints (manifest bytes, bundles, keys, info, signers, own listing), the OpenAPI document, and
// 5xx answers that never leak internals.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sha256Hex } from '../../core/canonical/digest.ts';
import { McpLockError } from '../../core/errors.ts';
import { parseManifest } from '../../core/manifest/manifest.ts';
import type { RegistryStore } from '../../core/registry/ports.ts';
import { RegistryService } from '../../core/registry/service.ts';
import { buildRegistryApp } from '../../registry/app.ts';
import {
  bearer,
  curate,
  enc,
  type Listed,
  makeRegistry,
  type Named,
  publish,
  syntheticManifest,
  type TestRegistry,
  weatherTools,
} from './helpers.ts';

let reg: TestRegistry;
const WEATHER = 'io.github.acme/weather';
const FILES = 'io.github.acme/files';
const NOTES = 'io.github.acme/notes';

async function seed(name: string, version: string, action?: 'approve' | 'yank' | 'deprecate', description?: string) {
  const res = await publish(
    reg,
    syntheticManifest({ name, version, description, tools: weatherTools(` ${name}@${version}`) }),
  );
  expect(res.statusCode, res.body).toBe(201);
  if (action === 'approve' || action === 'yank' || action === 'deprecate') {
    expect((await curate(reg, name, version, 'approve')).statusCode).toBe(200);
  }
  if (action === 'yank') expect((await curate(reg, name, version, 'yank', { reason: 'broken' })).statusCode).toBe(200);
  if (action === 'deprecate')
    expect((await curate(reg, name, version, 'deprecate', { reason: 'old' })).statusCode).toBe(200);
}

let beforeSecondWave = '';

beforeAll(async () => {
  reg = await makeRegistry();
  await seed(WEATHER, '1.0.0', 'approve');
  await seed(WEATHER, '1.1.0', 'approve');
  await seed(WEATHER, '2.0.0-beta.1', 'approve');
  await seed(WEATHER, '2.0.0', undefined); // pending
  await seed(FILES, '0.9.0', 'deprecate', 'Read and write files');
  await seed(FILES, '1.0.0+build.7', 'approve', 'Read and write files');
  await new Promise((r) => setTimeout(r, 5));
  beforeSecondWave = new Date().toISOString();
  await new Promise((r) => setTimeout(r, 5));
  await seed(NOTES, '3.0.0', 'yank', 'Take notes');
});
afterAll(async () => {
  await reg.close();
});

const versionsOf = (body: { servers: Listed[] }) => body.servers.map((s) => `${s.server.name}@${s.server.version}`);

describe('GET /v0.1/servers', () => {
  test('lists approved and deprecated versions in name order with both _meta blocks and CORS headers', async () => {
    const res = await reg.app.inject({ url: '/v0.1/servers' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-methods']).toBe('GET, OPTIONS');
    expect(res.headers['access-control-allow-headers']).toBe('Authorization, Content-Type');
    const body = res.json();
    expect(versionsOf(body)).toEqual([
      `${FILES}@0.9.0`,
      `${FILES}@1.0.0+build.7`,
      `${WEATHER}@1.0.0`,
      `${WEATHER}@1.1.0`,
      `${WEATHER}@2.0.0-beta.1`,
    ]);
    expect(body.metadata).toEqual({ count: 5 });
    const files09 = body.servers[0]._meta;
    expect(files09['io.modelcontextprotocol.registry/official']).toMatchObject({
      status: 'deprecated',
      statusMessage: 'old',
      isLatest: false,
    });
    expect(body.servers[1]._meta['io.modelcontextprotocol.registry/official'].isLatest).toBe(true);
    expect(body.servers[4]._meta['io.modelcontextprotocol.registry/official'].isLatest).toBe(true); // 2.0.0-beta.1 > 1.1.0
  });

  test('/v0 is an alias of /v0.1', async () => {
    const a = await reg.app.inject({ url: '/v0.1/servers?limit=3' });
    const b = await reg.app.inject({ url: '/v0/servers?limit=3' });
    expect(b.statusCode).toBe(200);
    expect(b.body).toBe(a.body);
    expect(b.headers['access-control-allow-origin']).toBe('*');
  });

  test('pagination follows opaque cursors to the end without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await reg.app.inject({ url: `/v0.1/servers?limit=2${cursor ? `&cursor=${enc(cursor)}` : ''}` });
      const body = res.json();
      expect(body.metadata.count).toBe(body.servers.length);
      expect(body.servers.length).toBeLessThanOrEqual(2);
      seen.push(...versionsOf(body));
      cursor = body.metadata.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(versionsOf((await reg.app.inject({ url: '/v0.1/servers' })).json()));
  });

  test('bad paging parameters are 400 with a code; large limits are clamped to 100', async () => {
    for (const url of [
      '/v0.1/servers?cursor=not-ours',
      '/v0.1/servers?cursor=%00',
      '/v0.1/servers?limit=0',
      '/v0.1/servers?limit=abc',
      '/v0.1/servers?limit=1&limit=2',
    ]) {
      const res = await reg.app.inject({ url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().code).toBe('USAGE');
      expect(typeof res.json().error).toBe('string');
    }
    const big = await reg.app.inject({ url: '/v0.1/servers?limit=5000' });
    expect(big.statusCode).toBe(200);
    expect(big.json().metadata.count).toBe(5);
  });

  test('search matches name or description, case-insensitively', async () => {
    expect(versionsOf((await reg.app.inject({ url: '/v0.1/servers?search=WEATH' })).json()).length).toBe(3);
    expect(versionsOf((await reg.app.inject({ url: '/v0.1/servers?search=write%20files' })).json())).toEqual([
      `${FILES}@0.9.0`,
      `${FILES}@1.0.0+build.7`,
    ]);
    expect((await reg.app.inject({ url: '/v0.1/servers?search=nothing-like-this' })).json().servers).toEqual([]);
  });

  test('version=latest gives each server its latest; an exact version filters', async () => {
    expect(versionsOf((await reg.app.inject({ url: '/v0.1/servers?version=latest' })).json())).toEqual([
      `${FILES}@1.0.0+build.7`,
      `${WEATHER}@2.0.0-beta.1`,
    ]);
    expect(versionsOf((await reg.app.inject({ url: '/v0.1/servers?version=1.0.0' })).json())).toEqual([
      `${WEATHER}@1.0.0`,
    ]);
  });

  test('include_deleted adds yanked versions; updated_since implies it and filters by time', async () => {
    const all = (await reg.app.inject({ url: '/v0.1/servers?include_deleted=true' })).json();
    expect(versionsOf(all)).toContain(`${NOTES}@3.0.0`);
    const notes = all.servers.find((s: Listed) => s.server.name === NOTES);
    expect(notes._meta['io.modelcontextprotocol.registry/official']).toMatchObject({
      status: 'deleted',
      statusMessage: 'broken',
    });
    const since = (await reg.app.inject({ url: `/v0.1/servers?updated_since=${enc(beforeSecondWave)}` })).json();
    expect(versionsOf(since)).toEqual([`${NOTES}@3.0.0`]);
    const future = (await reg.app.inject({ url: '/v0.1/servers?updated_since=2999-01-01T00:00:00Z' })).json();
    expect(future.servers).toEqual([]);
    const offset = (
      await reg.app.inject({ url: `/v0.1/servers?updated_since=${enc('2000-01-01T02:00:00+02:00')}` })
    ).json();
    expect(offset.servers.length).toBe(6);
    expect((await reg.app.inject({ url: '/v0.1/servers?updated_since=yesterday' })).statusCode).toBe(400);
  });

  test('OPTIONS preflight answers 204 with the CORS headers', async () => {
    for (const url of ['/v0.1/servers', `/v0.1/servers/${enc(WEATHER)}/versions/latest`, '/v0/servers']) {
      const res = await reg.app.inject({
        method: 'OPTIONS',
        url,
        headers: { origin: 'vscode-file://vscode-app', 'access-control-request-method': 'GET' },
      });
      expect(res.statusCode, url).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-allow-headers']).toBe('Authorization, Content-Type');
    }
  });
});

describe('GET /v0.1/servers/{name}/versions[/{version}]', () => {
  test('versions are listed newest publication first; pending ones are not; 404 with CORS for unknown servers', async () => {
    const res = await reg.app.inject({ url: `/v0.1/servers/${enc(WEATHER)}/versions` });
    expect(res.statusCode).toBe(200);
    expect(versionsOf(res.json())).toEqual([`${WEATHER}@2.0.0-beta.1`, `${WEATHER}@1.1.0`, `${WEATHER}@1.0.0`]);
    const missing = await reg.app.inject({ url: `/v0.1/servers/${enc('io.github.acme/nothing')}/versions` });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect(missing.headers['access-control-allow-origin']).toBe('*');
    const yankedOnly = await reg.app.inject({ url: `/v0.1/servers/${enc(NOTES)}/versions` });
    expect(yankedOnly.statusCode).toBe(404);
    const withDeleted = await reg.app.inject({ url: `/v0.1/servers/${enc(NOTES)}/versions?include_deleted=true` });
    expect(versionsOf(withDeleted.json())).toEqual([`${NOTES}@3.0.0`]);
  });

  test('one version by URL-encoded name and version (build metadata included), or latest', async () => {
    const res = await reg.app.inject({ url: `/v0.1/servers/${enc(FILES)}/versions/${enc('1.0.0+build.7')}` });
    expect(res.statusCode).toBe(200);
    expect(res.json().server).toMatchObject({ name: FILES, version: '1.0.0+build.7' });
    const lower = await reg.app.inject({ url: '/v0.1/servers/io.github.acme%2ffiles/versions/latest' });
    expect(lower.json().server.version).toBe('1.0.0+build.7');
    const unencoded = await reg.app.inject({ url: `/v0.1/servers/${FILES}/versions/latest` });
    expect(unencoded.statusCode).toBe(404);
    const pending = await reg.app.inject({ url: `/v0.1/servers/${enc(WEATHER)}/versions/2.0.0` });
    expect(pending.statusCode).toBe(404);
    const traversal = await reg.app.inject({ url: '/v0.1/servers/..%2F..%2Fetc/versions/passwd' });
    expect(traversal.statusCode).toBe(404);
  });
});

describe('mcp-lock endpoints', () => {
  test('the manifest is served as the exact canonical bytes whose sha256 is the manifest digest', async () => {
    const info = (await reg.app.inject({ url: `/mcp-lock/v1/servers/${enc(WEATHER)}/versions/1.1.0` })).json();
    const res = await reg.app.inject({ url: `/mcp-lock/v1/servers/${enc(WEATHER)}/versions/1.1.0/manifest` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(`sha256:${sha256Hex(res.rawPayload)}`).toBe(info.manifestDigest);
    expect(parseManifest(res.rawPayload).server.version).toBe('1.1.0');
  });

  test('bundles: publisher always, approval only once approved', async () => {
    const ok = await reg.app.inject({ url: `/mcp-lock/v1/servers/${enc(WEATHER)}/versions/1.1.0/bundles/publisher` });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().mediaType).toMatch(/^application\/vnd\.dev\.sigstore\.bundle/);
    const pendingApproval = await reg.app.inject({
      url: `/mcp-lock/v1/servers/${enc(WEATHER)}/versions/2.0.0/bundles/approval`,
      headers: bearer(reg.tokens.curator),
    });
    expect(pendingApproval.statusCode).toBe(404);
    expect(pendingApproval.json().error.code).toBe('NOT_FOUND');
    const badRole = await reg.app.inject({
      url: `/mcp-lock/v1/servers/${enc(WEATHER)}/versions/1.1.0/bundles/curator`,
    });
    expect(badRole.statusCode).toBe(400);
  });

  test('keys, info and namespace signers are public', async () => {
    const keys = (await reg.app.inject({ url: '/mcp-lock/v1/keys' })).json();
    expect(keys.keys[0].keyId).toBe(reg.approvalKey.keyId);
    expect(keys.keys[0].publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const info = (await reg.app.inject({ url: '/mcp-lock/v1/info' })).json();
    expect(info).toEqual({ registry: 'http://registry.test', apiVersion: 'mcp-lock/v1', keys: keys.keys });
    const signers = (await reg.app.inject({ url: '/mcp-lock/v1/namespaces/io.github.acme/signers' })).json();
    expect(signers.signers).toEqual([
      expect.objectContaining({ type: 'key', keyId: reg.publisherKey.keyId, publicKey: reg.publisherKey.publicKeyPem }),
    ]);
    expect((await reg.app.inject({ url: '/mcp-lock/v1/namespaces/io.github.unknown/signers' })).json().signers).toEqual(
      [],
    );
    expect((await reg.app.inject({ url: '/mcp-lock/v1/namespaces/..%2F..%2Fetc/signers' })).statusCode).toBe(400);
  });

  test('own listing: public statuses for everyone, private ones only with a scoped token', async () => {
    const anon = await reg.app.inject({ url: '/mcp-lock/v1/servers?status=pending' });
    expect(anon.statusCode).toBe(200);
    expect(anon.json().versions).toEqual([]);
    const curator = await reg.app.inject({
      url: '/mcp-lock/v1/servers?status=pending',
      headers: bearer(reg.tokens.curator),
    });
    expect(curator.json().versions.map((v: Named) => `${v.name}@${v.version}`)).toEqual([`${WEATHER}@2.0.0`]);
    const other = await reg.app.inject({
      url: '/mcp-lock/v1/servers?status=pending',
      headers: bearer(reg.tokens.otherCurator),
    });
    expect(other.json().versions).toEqual([]);
    expect((await reg.app.inject({ url: '/mcp-lock/v1/servers?status=bogus' })).statusCode).toBe(400);
    const versions = await reg.app.inject({
      url: `/mcp-lock/v1/servers/${enc(WEATHER)}/versions`,
      headers: bearer(reg.tokens.curator),
    });
    expect(versions.json().versions.map((v: Named) => v.version)).toEqual(['2.0.0', '2.0.0-beta.1', '1.1.0', '1.0.0']);
    // A token that is sent must be valid, even on routes that do not need one.
    const bad = await reg.app.inject({ url: '/mcp-lock/v1/servers', headers: { authorization: 'Bearer mcpl_nope' } });
    expect(bad.statusCode).toBe(401);
  });

  test('unknown routes are 404 in the right error shape for their API', async () => {
    const own = await reg.app.inject({ url: '/mcp-lock/v1/nothing' });
    expect(own.statusCode).toBe(404);
    expect(own.json().error.code).toBe('NOT_FOUND');
    const official = await reg.app.inject({ url: '/v0.1/nothing' });
    expect(official.statusCode).toBe(404);
    expect(official.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect(typeof official.json().error).toBe('string');
  });
});

describe('OpenAPI document', () => {
  test('documents every route, and every $ref in it resolves', async () => {
    const res = await reg.app.inject({ url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/v0.1/servers',
      '/v0.1/servers/{serverName}/versions',
      '/v0.1/servers/{serverName}/versions/{version}',
      '/v0/servers',
      '/mcp-lock/v1/publish',
      '/mcp-lock/v1/servers/{serverName}/versions/{version}/manifest',
      '/mcp-lock/v1/servers/{serverName}/versions/{version}/bundles/{role}',
      '/mcp-lock/v1/servers/{serverName}/versions/{version}/approve',
      '/mcp-lock/v1/keys',
      '/mcp-lock/v1/queue',
      '/mcp-lock/v1/audit',
      '/mcp-lock/v1/namespaces/{namespace}/signers',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.paths['/mcp-lock/v1/publish'].post.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/PublishBody',
    });
    expect(doc.paths['/mcp-lock/v1/publish'].post.security).toEqual([{ bearerAuth: [] }]);
    const refs: string[] = [];
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref' && typeof x === 'string') refs.push(x);
          else walk(x);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of new Set(refs)) {
      expect(ref, ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas[ref.slice('#/components/schemas/'.length)], ref).toBeDefined();
    }
  });
});

describe('internal failures', () => {
  test('a 5xx never carries internal details, in either error shape', async () => {
    const broken = new Proxy(reg.store, {
      get(target, prop, receiver) {
        if (prop === 'queryVersions' || prop === 'getVersion' || prop === 'listVersions') {
          return async () => {
            throw new Error('disk on fire at /var/lib/secret-path');
          };
        }
        if (prop === 'transaction') {
          return async () => {
            throw new McpLockError('STORAGE_ERROR', 'cannot write /var/lib/secret-path/state.json');
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    }) as RegistryStore;
    const service = new RegistryService({
      store: broken,
      verify: () => {
        throw new Error('unused');
      },
      approvalSigner: { keyId: '0'.repeat(64), publicKeyPem: '', sign: async () => ({}) },
      registryId: () => 'x',
    });
    const app = await buildRegistryApp({ service });
    try {
      const official = await app.inject({ url: '/v0.1/servers' });
      expect(official.statusCode).toBe(500);
      expect(official.body).not.toMatch(/secret|fire/);
      expect(official.json()).toMatchObject({ code: 'INTERNAL' });
      const own = await app.inject({
        method: 'POST',
        url: `/mcp-lock/v1/servers/${enc(WEATHER)}/versions/1.0.0/approve`,
        headers: { 'content-type': 'application/json', ...bearer(reg.tokens.curator) },
        payload: '{}',
      });
      expect(own.statusCode).toBe(500);
      expect(own.body).not.toMatch(/secret/);
      expect(own.json().error.code).toBe('STORAGE_ERROR');
    } finally {
      await app.close();
    }
  });
});
