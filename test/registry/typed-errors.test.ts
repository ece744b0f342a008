// Bad input at a trust boundary is a typed error (#10.7): a malformed %-escape in a tree node's `resolved`
// URL threw a bare URIError (registry 500, for any publisher token; CLI exit 3 with a stack trace). Now it
// is MANIFEST_INVALID: HTTP 400 with nothing stored, and CLI exit 2 with a message and no stack.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { McpLockManifest } from '../../core/generated/manifest.ts';
import { treeDigest } from '../../core/manifest/check-tree.ts';
import { formatManifest } from '../../core/manifest/manifest.ts';
import { runCli } from '../helpers/cli.ts';
import { makeRegistry, publish, sign, syntheticManifest, type TestRegistry } from './helpers.ts';

let reg: TestRegistry;
let dir: string;

beforeAll(async () => {
  reg = await makeRegistry();
  dir = await mkdtemp(join(tmpdir(), 'mcp-lock-typed-errors-'));
});
afterAll(async () => {
  await reg.close();
  await rm(dir, { recursive: true, force: true });
});

/** A self-consistent manifest whose zod node's resolved URL is `resolved`. */
function manifestWithResolved(version: string, resolved: string): McpLockManifest {
  const manifest = syntheticManifest({ version });
  const pkg = manifest.package!;
  const tree = pkg.tree.map((n) => (n.name === 'zod' ? { ...n, resolved } : n));
  return { ...manifest, package: { ...pkg, tree, treeDigest: treeDigest(tree) } };
}

const MALFORMED = 'https://registry.npmjs.org/zod/-/zod-3.25.76%E0%A4%A.tgz';
const WELL_FORMED = 'https://registry.npmjs.org/zod/-/zod-3.25.7%36.tgz';

describe('a malformed %-escape in a tree node', () => {
  test('publish answers 400 MANIFEST_INVALID and stores nothing, whoever sends it', async () => {
    const manifest = manifestWithResolved('1.0.0', MALFORMED);
    const before = (await reg.store.readAudit({ limit: 1000 })).length;
    for (const token of [reg.tokens.publisher, reg.tokens.otherPublisher]) {
      const res = await publish(reg, manifest, { token });
      expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, res.body).toBeLessThan(500);
    }
    const res = await publish(reg, manifest);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe('MANIFEST_INVALID');
    expect(res.json().error.message).toContain('%-escape');
    expect((await reg.store.readAudit({ limit: 1000 })).length).toBe(before);
  });

  test('a well-formed escape of the same path publishes (benign twin)', async () => {
    const res = await publish(reg, manifestWithResolved('1.0.1', WELL_FORMED));
    expect(res.statusCode, res.body).toBe(201);
  });

  test('verify-manifest exits 2 with the code and no stack trace', async () => {
    const manifest = manifestWithResolved('1.0.0', MALFORMED);
    await writeFile(join(dir, 'm.json'), formatManifest(manifest));
    await writeFile(join(dir, 'm.json.sigstore.json'), JSON.stringify(await sign(manifest, reg.publisherKey)));
    await writeFile(join(dir, 'k.pub.pem'), reg.publisherKey.publicKeyPem);
    const args = ['verify-manifest', 'm.json', '--bundle', 'm.json.sigstore.json', '--key', 'k.pub.pem'];
    const result = await runCli(args, { cwd: dir });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('MANIFEST_INVALID');
    expect(result.stderr).not.toMatch(/URIError|\n\s+at /);
    const twin = manifestWithResolved('1.0.1', WELL_FORMED);
    await writeFile(join(dir, 'm.json'), formatManifest(twin));
    await writeFile(join(dir, 'm.json.sigstore.json'), JSON.stringify(await sign(twin, reg.publisherKey)));
    const ok = await runCli(args, { cwd: dir });
    expect(ok.code, ok.stderr).toBe(0);
  });
});
