// Immutable blobs are served with their content address as a strong ETag: a client that holds it gets
// 304 without the store reading the bytes, anyone else the bytes. Revalidation never bypasses who may
// read: a pending version stays hidden from the anonymous, ETag or not.

import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { bearer, curate, enc, makeRegistry, publish, syntheticManifest, type TestRegistry } from './helpers.ts';

let reg: TestRegistry;
const NAME = 'io.github.acme/etag';
let digestHex: string;

beforeAll(async () => {
  reg = await makeRegistry();
  const res = await publish(reg, syntheticManifest({ name: NAME, version: '1.0.0' }));
  digestHex = res.json().version.manifestDigest.slice('sha256:'.length);
  expect((await curate(reg, NAME, '1.0.0', 'approve')).statusCode).toBe(200);
  expect((await publish(reg, syntheticManifest({ name: NAME, version: '2.0.0' }))).statusCode).toBe(201);
});
afterAll(async () => {
  await reg.close();
});

const manifestUrl = (version: string) => `/mcp-lock/v1/servers/${enc(NAME)}/versions/${version}/manifest`;

describe('ETags on blobs', () => {
  test('the manifest carries its digest as ETag; If-None-Match with it is 304 with no body and no blob read', async () => {
    const first = await reg.app.inject({ url: manifestUrl('1.0.0') });
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toBe(`"${digestHex}"`);
    const spy = vi.spyOn(reg.store, 'getBlob');
    try {
      const again = await reg.app.inject({ url: manifestUrl('1.0.0'), headers: { 'if-none-match': `"${digestHex}"` } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers.etag).toBe(`"${digestHex}"`);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  test('its benign twin: another or a malformed ETag gets the bytes', async () => {
    for (const tag of [`"${'0'.repeat(64)}"`, digestHex, '*', `"${digestHex.toUpperCase()}"`]) {
      const res = await reg.app.inject({ url: manifestUrl('1.0.0'), headers: { 'if-none-match': tag } });
      expect(res.statusCode, tag).toBe(200);
      expect(res.body.length).toBeGreaterThan(100);
    }
  });

  test('bundles carry their blob id too, and the approval bundle revalidates the same way', async () => {
    const url = `/mcp-lock/v1/servers/${enc(NAME)}/versions/1.0.0/bundles/approval`;
    const res = await reg.app.inject({ url });
    expect(res.statusCode).toBe(200);
    const etag = res.headers.etag as string;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect((await reg.app.inject({ url, headers: { 'if-none-match': etag } })).statusCode).toBe(304);
  });

  test('a pending version is 404 to the anonymous even with its ETag, and 304 to its curator', async () => {
    const pending = await reg.app.inject({ url: manifestUrl('2.0.0'), headers: bearer(reg.tokens.curator) });
    const etag = pending.headers.etag as string;
    const anonymous = await reg.app.inject({ url: manifestUrl('2.0.0'), headers: { 'if-none-match': etag } });
    expect(anonymous.statusCode).toBe(404);
    expect(anonymous.headers.etag).toBeUndefined();
    const curator = await reg.app.inject({
      url: manifestUrl('2.0.0'),
      headers: { ...bearer(reg.tokens.curator), 'if-none-match': etag },
    });
    expect(curator.statusCode).toBe(304);
  });
});
