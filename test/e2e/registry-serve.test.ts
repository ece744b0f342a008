// The registry as a user runs it: `mcp-lock registry serve` on port 0 in a child process, administered
// with `registry token|signer` while it runs, fed with `publish`, curated with `registry approve|reject|
// yank|queue`, read over real HTTP through /v0.1 and /v0; concurrent publishes of one version over real
// HTTP; a restart that keeps everything; and the exit codes of every failure.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KeyPairPem } from '../../adapters/sigstore/keys.ts';
import { canonicalDigest } from '../../core/canonical/digest.ts';
import { formatManifest } from '../../core/manifest/manifest.ts';
import { stdoutJson as json, jsonError, expectOk as ok } from '../helpers/cli.ts';
import { type E2eRegistry, startE2eRegistry } from '../helpers/e2e-registry.ts';
import { type RegistryProcess, startRegistryProcess } from '../helpers/registry-process.ts';
import { publishBody, sign, syntheticManifest, weatherTools } from '../registry/helpers.ts';

const NAME = 'io.github.acme/weather';
let setup: E2eRegistry;
let work: string;
let data: string;
let registry: RegistryProcess;
let tokens: E2eRegistry['tokens'];

const cli = (args: string[], env: Record<string, string | undefined> = {}) => setup.cli(args, work, env);
const enc = encodeURIComponent;
// biome-ignore lint/suspicious/noExplicitAny: JSON read back from the registry, checked by the assertions
const getJson = async (url: string, init?: RequestInit): Promise<any> => (await fetch(url, init)).json();

function writeManifest(file: string, version: string, variant = ''): string {
  writeFileSync(
    join(work, file),
    formatManifest(syntheticManifest({ name: NAME, version, tools: weatherTools(variant) })),
  );
  return file;
}

beforeAll(async () => {
  // Administered on the data directory through the CLI while it runs (tokens, the namespace's signer).
  setup = await startE2eRegistry({
    serveFirst: true,
    prefix: 'mcp-lock-registry-e2e-',
    namespace: 'io.github.acme',
    roles: ['publisher', 'curator', 'admin'],
    labels: { publisher: 'publisher-e2e', curator: 'curator-e2e', admin: 'admin-e2e' },
    cliTimeoutMs: 60_000,
  });
  ({ work, data, registry, tokens } = setup);
});

afterAll(async () => {
  await setup?.close();
});

describe('publish and curate through the CLI', () => {
  test('serve printed its URL and approval key; the official API answers with CORS', async () => {
    expect(registry.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(registry.approvalKeyId).toMatch(/^[0-9a-f]{64}$/);
    const res = await fetch(`${registry.url}/v0.1/servers`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.json()).toEqual({ servers: [], metadata: { count: 0 } });
  });

  test('keygen → sign → publish → pending → approve → read through /v0.1 and /v0', async () => {
    writeManifest('weather-1.0.0.json', '1.0.0');
    ok(await cli(['sign', 'weather-1.0.0.json', '--key', 'publisher.pem']));
    const published = ok(
      await cli(['publish', 'weather-1.0.0.json', '--registry', registry.url], { MCP_LOCK_TOKEN: tokens.publisher }),
    );
    expect(published.stdout).toMatch(/published io\.github\.acme\/weather@1\.0\.0: pending/);
    expect(published.stdout + published.stderr).not.toContain(tokens.publisher);

    const again = ok(
      await cli(['publish', 'weather-1.0.0.json', '--registry', registry.url, '--token', tokens.publisher]),
    );
    expect(again.stdout).toMatch(/already published/);

    const queue = ok(await cli(['registry', 'queue', '--registry', registry.url, '--token', tokens.curator]));
    expect(queue.stdout).toMatch(/io\.github\.acme\/weather@1\.0\.0 .*first version/);
    expect((await getJson(`${registry.url}/v0.1/servers`)).servers).toEqual([]);

    const approved = ok(
      await cli(['registry', 'approve', `${NAME}@1.0.0`, '--registry', registry.url], {
        MCP_LOCK_TOKEN: tokens.curator,
      }),
    );
    expect(approved.stdout).toMatch(/is approved; approved by curator-e2e/);

    const digest = canonicalDigest(JSON.parse(readFileSync(join(work, 'weather-1.0.0.json'), 'utf8')));
    for (const prefix of ['/v0.1', '/v0']) {
      const list = await getJson(`${registry.url}${prefix}/servers`);
      expect(list.servers.map((s: { server: { name: string } }) => s.server.name)).toEqual([NAME]);
      const one = await getJson(`${registry.url}${prefix}/servers/${enc(NAME)}/versions/latest`);
      expect(one._meta['dev.mcp-lock/registry']).toMatchObject({ status: 'approved', manifestDigest: digest });
      expect(one._meta['dev.mcp-lock/registry'].approval.keyId).toBe(registry.approvalKeyId);
    }
  });

  test('the approval verifies offline with verify-manifest against the registry key', async () => {
    const keys = await getJson(`${registry.url}/mcp-lock/v1/keys`);
    writeFileSync(join(work, 'registry.pub.pem'), keys.keys[0].publicKey);
    const bundle = await fetch(`${registry.url}/mcp-lock/v1/servers/${enc(NAME)}/versions/1.0.0/bundles/approval`);
    writeFileSync(join(work, 'approval.sigstore.json'), Buffer.from(await bundle.arrayBuffer()));
    ok(
      await cli([
        'verify-manifest',
        'weather-1.0.0.json',
        '--bundle',
        'approval.sigstore.json',
        '--key',
        'registry.pub.pem',
        '--role',
        'approval',
      ]),
    );
    // Benign twin of a forgery: the approval is not a publisher signature and not for another manifest.
    const asPublisher = await cli([
      'verify-manifest',
      'weather-1.0.0.json',
      '--bundle',
      'approval.sigstore.json',
      '--key',
      'registry.pub.pem',
    ]);
    expect(asPublisher.code).toBe(1);
    writeManifest('weather-other.json', '1.0.0', ' other');
    const other = await cli([
      'verify-manifest',
      'weather-other.json',
      '--bundle',
      'approval.sigstore.json',
      '--key',
      'registry.pub.pem',
      '--role',
      'approval',
    ]);
    expect(other.code).toBe(1);
  });

  test('failures exit with the right code and say why', async () => {
    writeManifest('weather-1.0.0-changed.json', '1.0.0', ' changed');
    ok(await cli(['sign', 'weather-1.0.0-changed.json', '--key', 'publisher.pem']));
    const conflict = await cli([
      'publish',
      'weather-1.0.0-changed.json',
      '--registry',
      registry.url,
      '--token',
      tokens.publisher,
      '--json',
    ]);
    expect(conflict.code).toBe(2);
    expect(jsonError(conflict).code).toBe('CONFLICT');

    const forbidden = await cli([
      'registry',
      'yank',
      `${NAME}@1.0.0`,
      '--reason',
      'x',
      '--registry',
      registry.url,
      '--token',
      tokens.publisher,
      '--json',
    ]);
    expect(forbidden.code).toBe(1);
    expect(jsonError(forbidden).code).toBe('FORBIDDEN');

    const noReason = await cli([
      'registry',
      'reject',
      `${NAME}@1.0.0`,
      '--registry',
      registry.url,
      '--token',
      tokens.curator,
    ]);
    expect(noReason.code).toBe(2);

    const noToken = await cli(['publish', 'weather-1.0.0.json', '--registry', registry.url, '--json'], {
      MCP_LOCK_TOKEN: undefined,
    });
    expect(noToken.code).toBe(2);
    expect(jsonError(noToken).code).toBe('USAGE');

    const unreachable = await cli([
      'publish',
      'weather-1.0.0.json',
      '--registry',
      'http://127.0.0.1:9',
      '--token',
      tokens.publisher,
      '--json',
    ]);
    expect(unreachable.code).toBe(3);
    expect(jsonError(unreachable).code).toBe('REGISTRY_UNAVAILABLE');

    const badSpec = await cli([
      'registry',
      'approve',
      'weather',
      '--registry',
      registry.url,
      '--token',
      tokens.curator,
      '--json',
    ]);
    expect(badSpec.code).toBe(2);

    // A revoked token stops working at once, without a restart.
    const list = json(ok(await cli(['registry', 'token', 'list', '--data', data, '--json'])));
    const id = list.tokens.find((t: { label: string }) => t.label === 'publisher-e2e').id;
    ok(await cli(['registry', 'token', 'revoke', id, '--data', data]));
    const revoked = await cli([
      'publish',
      'weather-1.0.0.json',
      '--registry',
      registry.url,
      '--token',
      tokens.publisher,
      '--json',
    ]);
    expect(revoked.code).toBe(1);
    expect(jsonError(revoked).code).toBe('UNAUTHENTICATED');
    tokens.publisher = json(
      ok(
        await cli([
          'registry',
          'token',
          'create',
          '--role',
          'publisher',
          '--scope',
          'io.github.acme/*',
          '--data',
          data,
          '--json',
        ]),
      ),
    ).token;
  });
});

describe('over real HTTP', () => {
  test('two different manifests for one version posted at once: exactly one 2xx', async () => {
    const keyPair: KeyPairPem = {
      algorithm: 'ecdsa-p256',
      privateKeyPem: readFileSync(join(work, 'publisher.pem'), 'utf8'),
      publicKeyPem: readFileSync(join(work, 'publisher.pub.pem'), 'utf8'),
      keyId: '',
    };
    for (let round = 0; round < 3; round++) {
      const version = `2.0.${round}`;
      const bodies = await Promise.all(
        ['A', 'B'].map(async (variant) => {
          const m = syntheticManifest({ name: NAME, version, tools: weatherTools(` ${variant}`) });
          return publishBody(m, await sign(m, keyPair));
        }),
      );
      const responses = await Promise.all(
        bodies.map((body) =>
          fetch(`${registry.url}/mcp-lock/v1/publish`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.publisher}` },
            body,
          }),
        ),
      );
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409]);
      const loser = responses.find((r) => r.status === 409)!;
      expect(((await loser.json()) as { error: { code: string } }).error.code).toBe('CONFLICT');
    }
  });

  test('a restart keeps versions, statuses, tokens and the approval key', async () => {
    const snapshot = async () => ({
      list: await (await fetch(`${registry.url}/v0.1/servers?include_deleted=true`)).text(),
      keys: await (await fetch(`${registry.url}/mcp-lock/v1/keys`)).text(),
      manifest: await (await fetch(`${registry.url}/mcp-lock/v1/servers/${enc(NAME)}/versions/1.0.0/manifest`)).text(),
    });
    const before = await snapshot();
    registry = await setup.restart();
    expect(await snapshot()).toEqual(before);
    const approved = ok(
      await cli([
        'registry',
        'approve',
        `${NAME}@2.0.0`,
        '--registry',
        registry.url,
        '--token',
        tokens.curator,
        '--json',
      ]),
    );
    expect(json(approved).status).toBe('approved');
    const audit = await getJson(`${registry.url}/mcp-lock/v1/audit?limit=100`, {
      headers: { authorization: `Bearer ${tokens.admin}` },
    });
    const actions = audit.events.map((e: { action: string }) => e.action);
    expect(actions[0]).toBe('key.create');
    expect(actions.filter((a: string) => a === 'approve')).toHaveLength(2);
    expect(actions).toContain('token.revoke');
  });
});

describe('configuration', () => {
  test('bad settings stop the server before it starts, with CONFIG_INVALID', async () => {
    const badPort = await cli(['registry', 'serve', '--port', 'abc', '--data', data, '--json']);
    expect(badPort.code).toBe(2);
    expect(jsonError(badPort).code).toBe('CONFIG_INVALID');
    writeFileSync(join(work, 'bad-config.json'), '{"port": 8787, "prot": 1}');
    const badFile = await cli(['registry', 'serve', '--config', 'bad-config.json', '--json']);
    expect(badFile.code).toBe(2);
    expect(jsonError(badFile).message).toMatch(/prot/);
    const badEnv = await cli(['registry', 'serve', '--data', data, '--json'], { MCP_LOCK_REGISTRY_PORT: '99999' });
    expect(badEnv.code).toBe(2);
    expect(jsonError(badEnv).message).toMatch(/MCP_LOCK_REGISTRY_PORT/);
  });

  test('a second server with a config file shares the data directory and its approval key', async () => {
    writeFileSync(join(work, 'config.json'), JSON.stringify({ port: 0, dataDir: 'registry-data', logLevel: 'silent' }));
    const other = await startRegistryProcess(data, ['--config', join(work, 'config.json')]);
    try {
      expect(other.approvalKeyId).toBe(registry.approvalKeyId);
      const res = await fetch(`${other.url}/v0.1/servers/${enc(NAME)}/versions/1.0.0`);
      expect(res.status).toBe(200);
    } finally {
      await other.stop();
    }
  });
});
