// The registry's signed state (TUF) end to end: the real CLI against a real registry process, through a
// loopback mirror that hides a yank, replays yesterday's metadata, serves an expired timestamp, drops a
// version from the targets and rotates the root wrongly. Each is refused with its exit code and writes
// nothing; a correct root rotation is followed. Then `outdated` and `rollback` against three versions,
// one of them yanked. A real MCP server from the npm registry is pinned and installed.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Metadata, MetaFile, Timestamp } from '@tufjs/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, parsePrivateKey } from '../../adapters/sigstore/keys.ts';
import { tufSignerOf } from '../../adapters/tuf/keys.ts';
import type { McpLockManifest } from '../../core/generated/manifest.ts';
import {
  addSignatures,
  buildRoot,
  metadataBytes,
  parseRoot,
  parseSnapshot,
  parseTimestamp,
  TUF_SPEC_VERSION,
} from '../../core/registry/tuf/metadata.ts';
import { stdoutJson as json, expectOk as ok } from '../helpers/cli.ts';
import { type E2eRegistry, startE2eRegistry } from '../helpers/e2e-registry.ts';
import { type EvilMirror, type RegistryProcess, startEvilMirror } from '../helpers/registry-process.ts';

const PKG = '@modelcontextprotocol/server-everything';
const NAME = 'io.github.test/everything';
const TUF = '/mcp-lock/v1/tuf';
let setup: E2eRegistry;
let work: string;
let data: string;
let registry: RegistryProcess;
let mirror: EvilMirror;
let curator: string;

const cli = (args: string[], cwd: string) => setup.cli(args, cwd);

async function fetchBytes(path: string): Promise<Buffer> {
  const res = await fetch(`${registry.url}${path}`);
  expect(res.status, path).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

/** The registry's current timestamp, snapshot and targets bytes (what a mirror could keep and replay). */
async function currentState() {
  const timestamp = await fetchBytes(`${TUF}/timestamp.json`);
  const snapshotVersion = parseTimestamp(timestamp).signed.snapshotMeta.version;
  const snapshot = await fetchBytes(`${TUF}/${snapshotVersion}.snapshot.json`);
  const targetsVersion = parseSnapshot(snapshot).signed.meta['targets.json']!.version;
  const targets = await fetchBytes(`${TUF}/${targetsVersion}.targets.json`);
  return { timestamp, snapshot, targets, snapshotVersion, targetsVersion };
}

/** Everything a refused command must leave alone: the lock, the stored manifests and bundles, the TUF cache. */
function files(project: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'store') walk(path);
      } else out[path] = readFileSync(path, 'base64');
    }
  };
  walk(project);
  return out;
}

async function expectRefused(
  project: string,
  args: string[],
  exit: number,
  code: string,
  options: { cacheMayAdvance?: boolean } = {},
) {
  const keep = (all: Record<string, string>) =>
    options.cacheMayAdvance
      ? Object.fromEntries(Object.entries(all).filter(([p]) => !p.includes('/.mcp-lock/tuf/')))
      : all;
  const before = keep(files(project));
  const r = await cli([...args, '--json'], project);
  expect(r.code, `${r.stdout} ${r.stderr}`).toBe(exit);
  const body = json(r);
  const found =
    body.error?.code ?? body.servers?.flatMap((s: { findings: { code: string }[] }) => s.findings.map((f) => f.code));
  expect(found, JSON.stringify(body)).toEqual(body.error ? code : expect.arrayContaining([code]));
  expect(keep(files(project))).toEqual(before);
  return body;
}

function project(label: string): string {
  const dir = join(work, label);
  mkdirSync(dir, { recursive: true });
  return dir;
}

const tufCache = (dir: string) => join(dir, '.mcp-lock', 'tuf');

async function publish(version: string, manifest: McpLockManifest) {
  const copy = structuredClone(manifest);
  copy.server.version = version;
  const file = `v${version}.json`;
  writeFileSync(join(work, file), JSON.stringify(copy));
  await setup.publishFile(file);
}

let yesterday: Awaited<ReturnType<typeof currentState>>;
let pinnedOld: string; // a project pinned to 1.0.0 whose TUF cache predates the yank
let pinnedYanked: string; // a project pinned to 1.1.0, yanked afterwards
let fresh: string; // a project initialised after the yank

beforeAll(async () => {
  setup = await startE2eRegistry({
    prefix: 'mcp-lock-tuf-e2e-',
    namespace: 'io.github.test',
    labels: { publisher: 'ci', curator: 'alice' },
  });
  ({ work, data, registry } = setup);
  curator = setup.tokens.curator;
  mirror = await startEvilMirror(registry.url);
  ok(await cli(['manifest', `${PKG}@2026.8.31`, '--name', NAME, '--out', 'everything.json'], work));
  const manifest = JSON.parse(readFileSync(join(work, 'everything.json'), 'utf8')) as McpLockManifest;
  for (const v of ['1.0.0', '1.1.0', '1.2.0']) await publish(v, manifest);
}, 400_000);

afterAll(async () => {
  await mirror?.close();
  await setup?.close();
});

describe('signed registry state through a mirror', () => {
  it('the benign twin: through a clean mirror, init pins the TUF root and add pins from signed state', async () => {
    pinnedOld = project('old');
    const init = json(ok(await cli(['init', '--registry', mirror.url, '--json'], pinnedOld)));
    expect(init.registries[mirror.url].tufRoot.signed.version).toBe(1);
    expect(init.tufRootFingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    ok(await cli(['add', `${NAME}@1.0.0`], pinnedOld));
    pinnedYanked = project('yanked');
    ok(await cli(['init', '--registry', mirror.url], pinnedYanked));
    ok(await cli(['add', `${NAME}@1.1.0`], pinnedYanked));
    expect(mirror.requests).toEqual(expect.arrayContaining([`${TUF}/2.root.json`, `${TUF}/timestamp.json`]));
    // Offline verify works and says freshness was not checked.
    const offline = json(ok(await cli(['verify', '--json'], pinnedOld)));
    expect(offline.freshness).toBe('not-checked');
    yesterday = await currentState();
    ok(
      await cli(
        [
          'registry',
          'yank',
          `${NAME}@1.1.0`,
          '--reason',
          'leaks tokens',
          '--registry',
          registry.url,
          '--token',
          curator,
        ],
        work,
      ),
    );
    fresh = project('fresh');
    ok(await cli(['init', '--registry', mirror.url], fresh));
  }, 400_000);

  it('a hidden yank (the API says approved, the signed targets say yanked) is refused: exit 1', async () => {
    const path = `/mcp-lock/v1/servers/${encodeURIComponent(NAME)}/versions/1.1.0`;
    const info = JSON.parse((await fetchBytes(path)).toString('utf8'));
    mirror.overrides.set(path, { ...info, status: 'approved', statusReason: null });
    try {
      const body = await expectRefused(fresh, ['add', `${NAME}@1.1.0`], 1, 'VERSION_YANKED');
      expect(body.error.message).toContain('leaks tokens');
    } finally {
      mirror.overrides.clear();
    }
  });

  it('a replay of yesterday’s timestamp, snapshot and targets is a rollback: exit 1', async () => {
    // `fresh` was initialised after the yank: its TUF cache remembers the newer state.
    const now = await currentState();
    mirror.overrides.set(`${TUF}/timestamp.json`, yesterday.timestamp);
    mirror.overrides.set(`${TUF}/${now.snapshotVersion}.snapshot.json`, yesterday.snapshot);
    mirror.overrides.set(`${TUF}/${now.targetsVersion}.targets.json`, yesterday.targets);
    try {
      await expectRefused(fresh, ['add', `${NAME}@1.1.0`], 1, 'REGISTRY_STATE_INVALID');
      // A fresh clone has no cache, but the lock remembers the state it was written against.
      rmSync(tufCache(fresh), { recursive: true, force: true });
      const body = await expectRefused(fresh, ['add', `${NAME}@1.1.0`], 1, 'REGISTRY_STATE_INVALID');
      expect(body.error.message).toMatch(/older than the one this lock was written against/);
      expect(existsSync(tufCache(fresh))).toBe(false);
    } finally {
      mirror.overrides.clear();
    }
  });

  it('today’s timestamp with yesterday’s snapshot and targets (mix-and-match) fails verify --online: exit 1', async () => {
    const now = await currentState();
    mirror.overrides.set(`${TUF}/${now.snapshotVersion}.snapshot.json`, yesterday.snapshot);
    try {
      await expectRefused(pinnedOld, ['verify', '--online'], 1, 'REGISTRY_STATE_INVALID');
      mirror.overrides.clear();
      mirror.overrides.set(`${TUF}/${now.targetsVersion}.targets.json`, yesterday.targets);
      await expectRefused(pinnedOld, ['verify', '--online'], 1, 'REGISTRY_STATE_INVALID');
    } finally {
      mirror.overrides.clear();
    }
  });

  it('a timestamp past its expiry (frozen state) is "could not verify": exit 3 with a hint', async () => {
    const now = await currentState();
    const online = tufSignerOf(parsePrivateKey(readFileSync(join(data, 'keys', 'tuf-online.pem'), 'utf8')));
    const frozen = new Metadata(
      new Timestamp({
        version: parseTimestamp(now.timestamp).signed.version + 1,
        specVersion: TUF_SPEC_VERSION,
        expires: new Date(Date.now() - 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        snapshotMeta: new MetaFile({ version: now.snapshotVersion }),
      }),
    );
    addSignatures(frozen, [online]);
    mirror.overrides.set(`${TUF}/timestamp.json`, Buffer.from(metadataBytes(frozen)));
    try {
      const body = await expectRefused(fresh, ['add', `${NAME}@1.2.0`], 3, 'REGISTRY_STATE_EXPIRED');
      expect(body.error.hint).toMatch(/frozen/);
    } finally {
      mirror.overrides.clear();
    }
  });

  it('targets rewritten to hide the yank fail their signature: exit 1, and a fresh clone writes no TUF cache', async () => {
    rmSync(tufCache(fresh), { recursive: true, force: true }); // a fresh clone: the lock, no cache
    mirror.rewrite = (path, body) =>
      /\/\d+\.targets\.json$/.test(path)
        ? Buffer.from(body.toString('utf8').replaceAll('"yanked"', '"approved"'))
        : undefined;
    try {
      await expectRefused(fresh, ['add', `${NAME}@1.1.0`], 1, 'REGISTRY_STATE_INVALID');
      expect(existsSync(tufCache(fresh))).toBe(false);
    } finally {
      mirror.rewrite = undefined;
    }
  });

  it('a version dropped from the targets fails the signature; a version the targets never listed is refused', async () => {
    rmSync(tufCache(fresh), { recursive: true, force: true });
    mirror.rewrite = (path, body) => {
      if (!/\/\d+\.targets\.json$/.test(path)) return undefined;
      const doc = JSON.parse(body.toString('utf8'));
      delete doc.signed.targets[`servers/${NAME}/1.2.0.json`];
      return Buffer.from(JSON.stringify(doc));
    };
    try {
      await expectRefused(fresh, ['add', `${NAME}@1.2.0`], 1, 'REGISTRY_STATE_INVALID');
    } finally {
      mirror.rewrite = undefined;
    }
    // The mirror invents 9.9.9 in the API (1.2.0's facts under another version): not in the signed targets.
    const base = `/mcp-lock/v1/servers/${encodeURIComponent(NAME)}/versions`;
    const info = JSON.parse((await fetchBytes(`${base}/1.2.0`)).toString('utf8'));
    mirror.overrides.set(`${base}/9.9.9`, { ...info, version: '9.9.9' });
    try {
      // The refresh itself verified, so the cache may advance to the verified state; the lock and pins stay.
      await expectRefused(fresh, ['add', `${NAME}@9.9.9`], 1, 'VERSION_NOT_LISTED', { cacheMayAdvance: true });
    } finally {
      mirror.overrides.clear();
    }
  });

  it('a root rotation not signed by the previous root is refused: exit 1', async () => {
    const attacker = tufSignerOf(parsePrivateKey(generateKeyPair('ed25519').privateKeyPem));
    const evil = buildRoot({
      version: 2,
      expires: new Date(Date.now() + 86400_000 * 30).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      rootKeys: [attacker.publicKey],
      rootThreshold: 1,
      onlineKeys: [attacker.publicKey],
    });
    addSignatures(evil, [attacker]);
    mirror.overrides.set(`${TUF}/2.root.json`, Buffer.from(metadataBytes(evil)));
    try {
      await expectRefused(fresh, ['add', `${NAME}@1.2.0`], 1, 'REGISTRY_STATE_INVALID');
    } finally {
      mirror.overrides.clear();
    }
  });

  it('a correct root rotation (signed by the old and the new root key) is followed: add pins 1.2.0', async () => {
    writeFileSync(join(work, 'new-root.pem'), generateKeyPair('ed25519').privateKeyPem, { mode: 0o600 });
    const rotated = json(
      ok(
        await cli(
          [
            'registry',
            'keys',
            'rotate',
            '--data',
            data,
            '--root-key',
            join(data, 'keys', 'tuf-root.pem'),
            '--new-root-key',
            'new-root.pem',
            '--json',
          ],
          work,
        ),
      ),
    );
    expect(rotated).toMatchObject({ applied: true, version: 2 });
    ok(await cli(['add', `${NAME}@1.2.0`], fresh));
    const [dir] = readdirSync(tufCache(fresh));
    expect(parseRoot(readFileSync(join(tufCache(fresh), dir!, 'root.json'))).signed.version).toBe(2);
  }, 300_000);
});

describe('outdated and rollback against three versions, one yanked', () => {
  it('outdated: newer approved versions for an old pin (exit 0); a yanked pin with its reason (exit 1)', async () => {
    const old = json(ok(await cli(['outdated', '--json'], pinnedOld)));
    expect(old.servers).toEqual([
      expect.objectContaining({ name: NAME, version: '1.0.0', status: 'approved', latest: '1.2.0', newer: ['1.2.0'] }),
    ]);
    const yanked = await cli(['outdated', '--json'], pinnedYanked);
    expect(yanked.code, yanked.stderr).toBe(1);
    expect(json(yanked).servers[0]).toMatchObject({ version: '1.1.0', status: 'yanked', statusReason: 'leaks tokens' });
    const text = await cli(['outdated'], pinnedYanked);
    expect(text.stdout).toMatch(/YANKED: leaks tokens/);
  });

  it('rollback pins the last approved version before the current one (skipping the yanked one) and shows the diff', async () => {
    const r = ok(await cli(['rollback', NAME, '--yes', '--json'], fresh));
    expect(json(r)).toMatchObject({ changed: true, from: '1.2.0', to: '1.0.0' });
    const lock = JSON.parse(readFileSync(join(fresh, 'mcp-lock.json'), 'utf8'));
    expect(lock.servers[NAME].version).toBe('1.0.0');
    // Nothing approved before 1.0.0: refused, nothing written.
    await expectRefused(fresh, ['rollback', NAME, '--yes'], 2, 'NOT_FOUND');
  }, 300_000);
});
