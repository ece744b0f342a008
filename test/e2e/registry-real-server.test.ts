// The whole publisher-to-registry chain with a real MCP server from the npm registry, over real HTTP:
// keygen → manifest of @modelcontextprotocol/server-everything → sign → publish → pending → approve →
// read through /v0.1 and /v0 → the approval bundle verifies offline against the registry's key (in
// process and with `mcp-lock verify-manifest`). One real install for the whole file.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { verifyBundle } from '../../adapters/sigstore/verify.ts';
import { verifyStatement } from '../../core/attestation/statement.ts';
import { sha256Hex } from '../../core/canonical/digest.ts';
import { manifestDigest, parseManifest } from '../../core/manifest/manifest.ts';
import { stdoutJson as json, expectOk as ok } from '../helpers/cli.ts';
import { type E2eRegistry, startE2eRegistry } from '../helpers/e2e-registry.ts';

const PKG = '@modelcontextprotocol/server-everything';
const VERSION = '2026.8.31';
const NAME = 'io.github.acme/everything';
const enc = encodeURIComponent;
// biome-ignore lint/suspicious/noExplicitAny: JSON read back from the registry, checked by the assertions
const getJson = async (url: string, init?: RequestInit): Promise<any> => (await fetch(url, init)).json();

// The registry admin's part (tokens, the namespace's signer) is done by the helper through the real CLI.
let setup: E2eRegistry;
let work: string;
let registry: E2eRegistry['registry'];
const cli = (args: string[], env: Record<string, string | undefined> = {}) => setup.cli(args, work, env);

beforeAll(async () => {
  setup = await startE2eRegistry({
    prefix: 'mcp-lock-registry-real-',
    namespace: 'io.github.acme',
    cliTimeoutMs: 240_000,
  });
  ({ work, registry } = setup);
}, 60_000);

afterAll(async () => {
  await setup?.close();
});

test('a real npm MCP server goes from keygen to an approved, countersigned registry entry', async () => {
  // Publisher side (the helper made the key pair with keygen).
  ok(await cli(['manifest', `${PKG}@${VERSION}`, '--name', NAME, '--out', 'everything.json']));
  const manifestFile = readFileSync(join(work, 'everything.json'));
  const manifest = parseManifest(manifestFile);
  expect(manifest.server.name).toBe(NAME);
  expect(manifest.package?.identifier).toBe(PKG);
  expect(manifest.surface.tools.length).toBeGreaterThan(3);
  ok(await cli(['sign', 'everything.json', '--key', 'publisher.pem']));
  const { publisher, curator } = setup.tokens;

  // Publish: pending, invisible to consumers.
  const published = json(
    ok(await cli(['publish', 'everything.json', '--registry', registry.url, '--json'], { MCP_LOCK_TOKEN: publisher })),
  );
  expect(published).toMatchObject({ created: true, status: 'pending', manifestDigest: manifestDigest(manifest) });
  const hidden = await fetch(`${registry.url}/v0.1/servers/${enc(NAME)}/versions/${enc(manifest.server.version)}`);
  expect(hidden.status).toBe(404);

  // Curate: approve, which makes the registry countersign.
  const approved = json(
    ok(
      await cli([
        'registry',
        'approve',
        `${NAME}@${manifest.server.version}`,
        '--registry',
        registry.url,
        '--token',
        curator,
        '--json',
      ]),
    ),
  );
  expect(approved.status).toBe('approved');
  expect(approved.approval.keyId).toBe(registry.approvalKeyId);

  // Consumers read it through both official prefixes.
  for (const prefix of ['/v0.1', '/v0']) {
    const list = await getJson(`${registry.url}${prefix}/servers?search=everything&version=latest`);
    expect(list.servers).toHaveLength(1);
    expect(list.servers[0].server).toEqual(manifest.server);
    const latest = await fetch(`${registry.url}${prefix}/servers/${enc(NAME)}/versions/latest`);
    expect(latest.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await latest.json()) as { _meta: Record<string, unknown> };
    expect(body._meta['io.modelcontextprotocol.registry/official']).toMatchObject({ status: 'active', isLatest: true });
    expect(body._meta['dev.mcp-lock/registry']).toMatchObject({
      status: 'approved',
      manifestDigest: manifestDigest(manifest),
    });
  }

  // Its page in the marketplace stays small (issue #18: under 200 KB), the full detail loaded on demand.
  const page = await fetch(`${registry.url}/ui/server?name=${enc(NAME)}`);
  const html = await page.text();
  expect(page.status).toBe(200);
  expect(Buffer.byteLength(html)).toBeLessThan(200 * 1024);
  const tree = await (
    await fetch(
      `${registry.url}/ui/fragments/detail?name=${enc(NAME)}&version=${enc(manifest.server.version)}&part=tree`,
    )
  ).text();
  for (const node of manifest.package!.tree) expect(tree).toContain(node.integrity!);

  // The served manifest is the published one, byte for byte in canonical form.
  const served = Buffer.from(
    await (
      await fetch(`${registry.url}/mcp-lock/v1/servers/${enc(NAME)}/versions/${enc(manifest.server.version)}/manifest`)
    ).arrayBuffer(),
  );
  expect(`sha256:${sha256Hex(served)}`).toBe(manifestDigest(manifest));

  // The approval verifies offline against the registry key, and binds exactly this manifest.
  const keys = (await getJson(`${registry.url}/mcp-lock/v1/keys`)).keys;
  const approvalBundle = await getJson(
    `${registry.url}/mcp-lock/v1/servers/${enc(NAME)}/versions/${enc(manifest.server.version)}/bundles/approval`,
  );
  const verified = verifyBundle(approvalBundle, { keys });
  expect(verified.signer).toMatchObject({ type: 'key', keyId: registry.approvalKeyId });
  const predicate = verifyStatement(verified.payload, verified.payloadType, parseManifest(served), 'approval');
  expect(predicate).toMatchObject({ registry: registry.url, curator: 'curator', server: NAME });
  writeFileSync(join(work, 'registry.pub.pem'), keys[0].publicKey);
  writeFileSync(join(work, 'approval.sigstore.json'), JSON.stringify(approvalBundle));
  ok(
    await cli([
      'verify-manifest',
      'everything.json',
      '--bundle',
      'approval.sigstore.json',
      '--key',
      'registry.pub.pem',
      '--role',
      'approval',
    ]),
  );
  // And the publisher's own signature is served unchanged and still verifies with the publisher key.
  writeFileSync(
    join(work, 'publisher.sigstore.json'),
    Buffer.from(
      await (
        await fetch(
          `${registry.url}/mcp-lock/v1/servers/${enc(NAME)}/versions/${enc(manifest.server.version)}/bundles/publisher`,
        )
      ).arrayBuffer(),
    ),
  );
  ok(
    await cli([
      'verify-manifest',
      'everything.json',
      '--bundle',
      'publisher.sigstore.json',
      '--key',
      'publisher.pub.pem',
    ]),
  );
}, 300_000);
