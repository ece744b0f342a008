// The embedded store: everything survives a restart, writes are atomic and serialized (in one process and
// across processes sharing the directory), concurrent publishes of one version have exactly one winner,
// and damage (a torn audit line, a stale lock, a corrupt state file, a readable key) is handled.

import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { McpLockError } from '../../core/errors.ts';
import { loadOrCreateApprovalKey } from '../../registry/keys/approval-key.ts';
import { acquireFileLock } from '../../registry/store/file-lock.ts';
import { FileRegistryStore } from '../../registry/store/file-store.ts';
import { expectCodeAsync } from '../helpers/expect-code.ts';
import {
  bearer,
  curate,
  enc,
  makeRegistry,
  newToken,
  publish,
  syntheticManifest,
  type TestRegistry,
  weatherTools,
} from './helpers.ts';

let reg: TestRegistry;

beforeAll(async () => {
  reg = await makeRegistry();
});
afterAll(async () => {
  await reg.close();
});

describe('restart', () => {
  test('versions, statuses, bundles, tokens, signers, the approval key and the audit log survive a restart', async () => {
    const name = 'io.github.acme/durable';
    expect((await publish(reg, syntheticManifest({ name, version: '1.0.0' }))).statusCode).toBe(201);
    expect((await curate(reg, name, '1.0.0', 'approve')).statusCode).toBe(200);
    expect((await publish(reg, syntheticManifest({ name, version: '1.1.0' }))).statusCode).toBe(201);
    const read = async (r: TestRegistry) => ({
      list: (await r.app.inject({ url: '/v0.1/servers' })).body,
      manifest: (await r.app.inject({ url: `/mcp-lock/v1/servers/${enc(name)}/versions/1.0.0/manifest` })).body,
      approval: (await r.app.inject({ url: `/mcp-lock/v1/servers/${enc(name)}/versions/1.0.0/bundles/approval` })).body,
      pending: (
        await r.app.inject({
          url: `/mcp-lock/v1/servers/${enc(name)}/versions/1.1.0`,
          headers: bearer(r.tokens.curator),
        })
      ).body,
      keys: (await r.app.inject({ url: '/mcp-lock/v1/keys' })).body,
      signers: (await r.app.inject({ url: '/mcp-lock/v1/namespaces/io.github.acme/signers' })).body,
      audit: (await r.app.inject({ url: '/mcp-lock/v1/audit?limit=100', headers: bearer(r.tokens.admin) })).body,
    });
    const before = await read(reg);
    reg = await reg.reopen();
    const after = await read(reg);
    expect(after).toEqual(before);
    expect(JSON.parse(after.pending).status).toBe('pending');
    // And it keeps working: the old tokens approve, the next audit entry continues the sequence.
    expect((await curate(reg, name, '1.1.0', 'approve')).statusCode).toBe(200);
    const events = (await reg.store.readAudit({ limit: 1000 })).map((e) => e.seq);
    expect(events).toEqual(events.map((_, i) => i + 1));
  });
});

describe('concurrency', () => {
  test('two different manifests for one version published at once: exactly one wins, the other is 409', async () => {
    const name = 'io.github.acme/race';
    for (let round = 0; round < 5; round++) {
      const version = `1.0.${round}`;
      const a = syntheticManifest({ name, version, tools: weatherTools(' A') });
      const b = syntheticManifest({ name, version, tools: weatherTools(' B') });
      const results = await Promise.all([publish(reg, a), publish(reg, b)]);
      const statuses = results.map((r) => r.statusCode).sort();
      expect(statuses).toEqual([201, 409]);
      const winner = results.find((r) => r.statusCode === 201)!.json().version.manifestDigest;
      const stored = await reg.store.getVersion(name, version);
      expect(stored?.manifestDigest).toBe(winner);
    }
  });

  test('two stores on one directory (two processes) serialize their writes: no update is lost', async () => {
    const other = await FileRegistryStore.open(reg.dataDir);
    try {
      const before = (await reg.store.listTokens()).length;
      await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          newToken(i % 2 === 0 ? reg.store : other, 'publisher', ['io.github.acme/*'], `t${i}`),
        ),
      );
      expect((await reg.store.listTokens()).length).toBe(before + 16);
      expect((await other.listTokens()).length).toBe(before + 16);
      // A token created through the other store authenticates at the running app at once.
      const token = await newToken(other, 'curator', ['io.github.acme/*'], 'late');
      const res = await reg.app.inject({ url: '/mcp-lock/v1/queue', headers: bearer(token) });
      expect(res.statusCode).toBe(200);
      const seqs = (await reg.store.readAudit({ limit: 10_000 })).map((e) => e.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
    } finally {
      await other.close();
    }
  });

  test('a lock held by a live process makes writers wait, then fail with a clear error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-lock-lock-'));
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      await writeFile(join(dir, 'registry.lock'), `${holder.pid}@${(await import('node:os')).hostname()}\n`);
      const store = await FileRegistryStore.open(dir, { lock: { timeoutMs: 300, staleMs: 60_000 } });
      const error = await expectCodeAsync(() => newToken(store, 'admin', ['*']), 'STORAGE_ERROR');
      expect(error.message).toMatch(new RegExp(`pid ${holder.pid}`));
      expect(await store.listTokens()).toEqual([]);
      // Once that process is gone, its lock is stale and is broken.
      holder.kill('SIGKILL');
      await new Promise((r) => holder.once('exit', r));
      await newToken(store, 'admin', ['*']);
      expect((await store.listTokens()).length).toBe(1);
    } finally {
      holder.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('atomic files and damage', () => {
  test('a commit leaves no temp files and the journal and snapshot are private', async () => {
    await reg.store.compact();
    await newToken(reg.store, 'admin', ['*']);
    const files = await readdir(reg.dataDir);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect((await stat(join(reg.dataDir, 'state.json'))).mode & 0o077).toBe(0);
    expect((await stat(join(reg.dataDir, 'state.log'))).mode & 0o077).toBe(0);
    expect(files.includes('registry.lock')).toBe(false);
  });

  test('a failed transaction writes nothing', async () => {
    const before = await readFile(join(reg.dataDir, 'state.log'), 'utf8');
    await expectCodeAsync(
      () =>
        reg.store.transaction(async (tx) => {
          tx.putToken({
            id: 'tok_0000000000000000',
            hash: 'x',
            role: 'admin',
            scopes: ['*'],
            label: '',
            createdAt: '',
            revokedAt: null,
          });
          tx.appendAudit({
            at: new Date().toISOString(),
            action: 'token.create',
            actor: { type: 'local', tool: 'test' },
          });
          throw new McpLockError('CONFLICT', 'changed my mind');
        }),
      'CONFLICT',
    );
    expect(await readFile(join(reg.dataDir, 'state.log'), 'utf8')).toBe(before);
    expect((await reg.store.listTokens()).some((t) => t.id === 'tok_0000000000000000')).toBe(false);
  });

  test('a torn last audit line (crash mid-append) is skipped, cut off by the next write, and the sequence continues', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-lock-audit-'));
    try {
      const store = await FileRegistryStore.open(dir);
      await newToken(store, 'admin', ['*']);
      await writeFile(join(dir, 'audit.jsonl'), '{"seq":2,"at":"2026-01-01T00:00:00Z","action":"tok', { flag: 'a' });
      await newToken(store, 'admin', ['*']);
      const events = await store.readAudit({ limit: 10 });
      expect(events.map((e) => e.seq)).toEqual([1, 2]);
      expect((await readFile(join(dir, 'audit.jsonl'), 'utf8')).split('\n').filter(Boolean)).toHaveLength(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a corrupt state file is refused with STORAGE_ERROR, not read as empty', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-lock-corrupt-'));
    try {
      await writeFile(join(dir, 'state.json'), '{"formatVersion":1,"versions":[],"versions":[]}');
      await expectCodeAsync(() => FileRegistryStore.open(dir), 'STORAGE_ERROR');
      await writeFile(join(dir, 'state.json'), '{"formatVersion":99,"versions":[],"tokens":[],"signers":[]}');
      await expectCodeAsync(() => FileRegistryStore.open(dir), 'STORAGE_ERROR');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a blob changed on disk is detected, not served', async () => {
    const name = 'io.github.acme/blobcheck';
    const res = await publish(reg, syntheticManifest({ name, version: '1.0.0' }));
    const digest = res.json().version.manifestDigest.slice('sha256:'.length);
    const path = join(reg.dataDir, 'blobs', digest.slice(0, 2), digest);
    const original = await readFile(path);
    await chmod(path, 0o600);
    await writeFile(path, Buffer.concat([original, Buffer.from(' ')]));
    try {
      const served = await reg.app.inject({
        url: `/mcp-lock/v1/servers/${enc(name)}/versions/1.0.0/manifest`,
        headers: bearer(reg.tokens.curator),
      });
      expect(served.statusCode).toBe(500);
      expect(served.json().error.code).toBe('STORAGE_ERROR');
    } finally {
      await writeFile(path, original);
    }
  });

  test('the approval key is created once, private, and refused when others can read it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-lock-key-'));
    try {
      const [a, b] = await Promise.all([loadOrCreateApprovalKey(dir), loadOrCreateApprovalKey(dir)]);
      expect(a.signer.keyId).toBe(b.signer.keyId);
      expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
      const path = join(dir, 'keys', 'approval-key.pem');
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect((await loadOrCreateApprovalKey(dir)).signer.keyId).toBe(a.signer.keyId);
      await chmod(path, 0o644);
      await expectCodeAsync(() => loadOrCreateApprovalKey(dir), 'STORAGE_ERROR');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a lock file left by a dead process is broken', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-lock-stale-'));
    try {
      const lock = join(dir, 'x.lock');
      await writeFile(lock, `999999999@${(await import('node:os')).hostname()}\n`);
      const release = await acquireFileLock(lock, { timeoutMs: 1000, staleMs: 60_000 });
      expect((await readFile(lock, 'utf8')).startsWith(`${process.pid}@`)).toBe(true);
      await release();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
