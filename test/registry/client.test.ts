// The registry HTTP client over real HTTP on port 0: against the real registry (publish, curate, every
// read, errors mapped to codes) and against misbehaving servers (hangs, 5xx, oversized, non-JSON,
// duplicate keys, wrong shapes, redirects, spoofed error codes, a closed port).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RegistryClient } from '../../adapters/registry-client/client.ts';
import { generateKeyPair } from '../../adapters/sigstore/keys.ts';
import { verifyBundle } from '../../adapters/sigstore/verify.ts';
import { verifyStatement } from '../../core/attestation/statement.ts';
import { canonicalDigest, sha256Hex } from '../../core/canonical/digest.ts';
import type { McpLockError } from '../../core/errors.ts';
import { parseManifest } from '../../core/manifest/manifest.ts';
import { expectCode, expectCodeAsync } from '../helpers/expect-code.ts';
import { makeRegistry, sign, syntheticManifest, type TestRegistry, weatherTools } from './helpers.ts';

let reg: TestRegistry;
let url: string;

beforeAll(async () => {
  reg = await makeRegistry();
  url = await reg.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await reg.close();
});

const client = (token?: string) => new RegistryClient({ url, ...(token ? { token } : {}) });

describe('against the registry', () => {
  const NAME = 'io.github.acme/weather';

  test('publish, re-publish, approve, and read everything back', async () => {
    const manifest = syntheticManifest({ name: NAME, version: '1.0.0' });
    const bundle = await sign(manifest, reg.publisherKey);
    const first = await client(reg.tokens.publisher).publish(manifest, bundle);
    expect(first.created).toBe(true);
    expect(first.version.status).toBe('pending');
    const again = await client(reg.tokens.publisher).publish(manifest, bundle);
    expect(again.created).toBe(false);
    const approved = await client(reg.tokens.curator).curate(NAME, '1.0.0', 'approve');
    expect(approved.status).toBe('approved');

    const reader = client();
    const list = await reader.listServers({ limit: 10, search: 'weather' });
    expect(list.servers.map((s) => s.server.name)).toEqual([NAME]);
    expect((await reader.serverVersions(NAME)).metadata.count).toBe(1);
    const latest = await reader.serverVersion(NAME, 'latest');
    expect(latest._meta['dev.mcp-lock/registry'].manifestDigest).toBe(canonicalDigest(manifest));
    const bytes = await reader.manifestBytes(NAME, '1.0.0');
    expect(`sha256:${sha256Hex(bytes)}`).toBe(canonicalDigest(manifest));
    const keys = await reader.keys();
    const approval = await reader.bundle(NAME, '1.0.0', 'approval');
    const verified = verifyBundle(approval, { keys });
    verifyStatement(verified.payload, verified.payloadType, parseManifest(bytes), 'approval');
    expect((await reader.info()).keys).toEqual(keys);
    expect((await reader.signers('io.github.acme'))[0]?.keyId).toBe(reg.publisherKey.keyId);
    expect((await reader.version(NAME, '1.0.0')).approval?.curator).toBe('alice');
    expect((await client(reg.tokens.curator).queue()).items).toEqual([]);
    expect((await client(reg.tokens.admin).audit({ action: 'approve' })).events).toHaveLength(1);
  });

  test('errors map to codes and never show the token', async () => {
    const manifest = syntheticManifest({ name: NAME, version: '1.0.0', tools: weatherTools(' other') });
    const bundle = await sign(manifest, reg.publisherKey);
    const unknown = `mcpl_${Buffer.alloc(32, 9).toString('base64url')}`;
    const e401 = await expectCodeAsync(() => client(unknown).publish(manifest, bundle), 'UNAUTHENTICATED');
    expect(JSON.stringify(e401.toJSON())).not.toContain(unknown);
    await expectCodeAsync(() => client(reg.tokens.otherPublisher).publish(manifest, bundle), 'FORBIDDEN');
    const conflict = await expectCodeAsync(() => client(reg.tokens.publisher).publish(manifest, bundle), 'CONFLICT');
    expect(conflict.message).toMatch(/already published/);
    const stranger = await sign(manifest, generateKeyPair());
    await expectCodeAsync(() => client(reg.tokens.publisher).publish(manifest, stranger), 'SIGNER_UNTRUSTED');
    await expectCodeAsync(() => client().serverVersion(NAME, '9.9.9'), 'NOT_FOUND');
    await expectCodeAsync(() => client().version('io.github.acme/none', '1.0.0'), 'NOT_FOUND');
    await expectCodeAsync(() => client(reg.tokens.curator).curate(NAME, '1.0.0', 'reject', 'late'), 'CONFLICT');
    await expectCodeAsync(() => client().curate(NAME, '1.0.0', 'yank', 'x'), 'USAGE'); // no token: not even sent
  });
});

/** A throwaway server that answers every request with `handler`. */
async function fake(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function against(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  call: (c: RegistryClient) => Promise<unknown>,
  code: string,
  limits = {},
): Promise<McpLockError> {
  const { url: fakeUrl, server } = await fake(handler);
  try {
    return await expectCodeAsync(() => call(new RegistryClient({ url: fakeUrl, limits })), code);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

const sendJson = (res: ServerResponse, status: number, body: string) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body);
};

describe('against a misbehaving server', () => {
  test('no answer in time is TIMEOUT', async () => {
    await against(
      () => {},
      (c) => c.keys(),
      'TIMEOUT',
      { timeoutMs: 300 },
    );
  });

  test('a 5xx is REGISTRY_UNAVAILABLE; a closed port too', async () => {
    await against(
      (_q, res) => sendJson(res, 503, '{"error":{"code":"INTERNAL","message":"down"}}'),
      (c) => c.keys(),
      'REGISTRY_UNAVAILABLE',
    );
    const { url: closedUrl, server } = await fake(() => {});
    await new Promise((r) => server.close(r));
    await expectCodeAsync(() => new RegistryClient({ url: closedUrl }).keys(), 'REGISTRY_UNAVAILABLE');
  });

  test('answers over the byte cap are refused, declared or streamed', async () => {
    await against(
      (_q, res) => sendJson(res, 200, `{"keys":[],"pad":"${'x'.repeat(5000)}"}`),
      (c) => c.keys(),
      'REGISTRY_PROTOCOL',
      {
        maxResponseBytes: 1000,
      },
    );
    await against(
      (_q, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = 'x'.repeat(1000);
        let n = 0;
        const timer = setInterval(() => {
          if (n++ > 100 || res.destroyed) {
            clearInterval(timer);
            res.end();
            return;
          }
          res.write(chunk);
        }, 1);
      },
      (c) => c.keys(),
      'REGISTRY_PROTOCOL',
      { maxResponseBytes: 10_000 },
    );
  });

  test('not JSON, duplicate keys, or the wrong shape are REGISTRY_PROTOCOL', async () => {
    await against(
      (_q, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>login</html>');
      },
      (c) => c.keys(),
      'REGISTRY_PROTOCOL',
    );
    const dup = await against(
      (_q, res) => sendJson(res, 200, '{"keys":[],"keys":[{"keyId":"x"}]}'),
      (c) => c.keys(),
      'REGISTRY_PROTOCOL',
    );
    expect(dup.message).toMatch(/twice/);
    await against(
      (_q, res) => sendJson(res, 200, '{"keys":[{"keyId":"short","publicKey":"x"}]}'),
      (c) => c.keys(),
      'REGISTRY_PROTOCOL',
    );
    // Benign twin: a well-formed answer passes.
    const { url: okUrl, server } = await fake((_q, res) =>
      sendJson(res, 200, JSON.stringify({ keys: [{ keyId: 'a'.repeat(64), publicKey: 'pem' }] })),
    );
    try {
      expect(await new RegistryClient({ url: okUrl }).keys()).toHaveLength(1);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  test('a redirect is not followed', async () => {
    await against(
      (_q, res) => {
        res.writeHead(302, { location: 'https://evil.example/keys' });
        res.end();
      },
      (c) => c.keys(),
      'REGISTRY_PROTOCOL',
    );
  });

  test('a registry cannot turn a refusal into "could not verify", and an answer for another server is caught', async () => {
    await against(
      (_q, res) => sendJson(res, 400, '{"error":{"code":"REGISTRY_UNAVAILABLE","message":"try later"}}'),
      (c) => c.keys(),
      'REGISTRY_PROTOCOL',
    );
    const spoofed = await against(
      (_q, res) =>
        sendJson(res, 422, '{"error":{"code":"SIGNATURE_INVALID","message":"bad sig \\u001b[31m","hint":"re-sign"}}'),
      (c) => c.keys(),
      'SIGNATURE_INVALID',
    );
    expect(spoofed.hint).toBe('re-sign');
    const other = syntheticManifest({ name: 'io.github.acme/other', version: '1.0.0' });
    await against(
      (_q, res) =>
        sendJson(
          res,
          200,
          JSON.stringify({
            server: other.server,
            _meta: {
              'io.modelcontextprotocol.registry/official': {
                status: 'active',
                publishedAt: '2026-01-01T00:00:00Z',
                updatedAt: '2026-01-01T00:00:00Z',
                isLatest: true,
              },
              'dev.mcp-lock/registry': {
                status: 'approved',
                manifestDigest: canonicalDigest(other),
                publishedAt: '2026-01-01T00:00:00Z',
                updatedAt: '2026-01-01T00:00:00Z',
                signer: { type: 'key', keyId: 'a'.repeat(64) },
                approval: null,
              },
            },
          }),
        ),
      (c) => c.serverVersion('io.github.acme/weather', 'latest'),
      'REGISTRY_PROTOCOL',
    );
  });

  test('a base URL with a path prefix is kept; query parameters are encoded', async () => {
    const seen: string[] = [];
    const { url: base, server } = await fake((req, res) => {
      seen.push(req.url ?? '');
      sendJson(res, 200, '{"servers":[],"metadata":{"count":0}}');
    });
    try {
      await new RegistryClient({ url: `${base}/registry/` }).listServers({
        search: 'a b&c',
        includeDeleted: true,
        limit: 5,
      });
      await new RegistryClient({ url: base }).listServers();
      expect(seen).toEqual(['/registry/v0.1/servers?limit=5&search=a+b%26c&include_deleted=true', '/v0.1/servers']);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('registry URLs', () => {
  test('https, or plain http only to this machine; no credentials, query or fragment', () => {
    for (const ok of [
      'https://registry.example.com',
      'http://127.0.0.1:8787',
      'http://localhost:1/x',
      'http://[::1]:8787',
    ]) {
      expect(() => new RegistryClient({ url: ok }), ok).not.toThrow();
    }
    for (const bad of [
      'http://registry.example.com',
      'ftp://x',
      'https://u:p@x',
      'https://x/?a=1',
      'https://x/#f',
      'not a url',
    ]) {
      expectCode(() => new RegistryClient({ url: bad }), 'USAGE');
    }
  });
});
