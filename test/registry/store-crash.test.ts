// What a crash leaves behind in the embedded store's directory, written exactly as a killed writer leaves
// it, and what the next writer must make of it: an empty lock (killed between create and write, by an
// older version), a claim of a breaker killed mid-break, audit lines appended by a writer killed before
// its state write. Stale locks are broken by many contenders at once without two ever holding the lock.

import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { acquireFileLock } from '../../registry/store/file-lock.ts';
import { FileRegistryStore } from '../../registry/store/file-store.ts';
import { newToken } from './helpers.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-lock-crash-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A pid no process has: beyond the kernel's pid_max. */
const DEAD_PID = 2 ** 30 + 12345;

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

describe('the lock file', () => {
  test('an empty lock left by a kill does not block: the next write succeeds within 1 s (default options)', async () => {
    const store = await FileRegistryStore.open(dir);
    await newToken(store, 'admin', ['*']); // a write before the crash: what is timed is the lock, not warm-up
    await writeFile(join(dir, 'registry.lock'), '');
    const { ms } = await timed(() => newToken(store, 'admin', ['*']));
    expect(ms).toBeLessThan(1000);
    expect(await store.listTokens()).toHaveLength(2);
    expect((await readdir(dir)).filter((f) => f.startsWith('registry.lock'))).toEqual([]);
  });

  test('a lock this process wrote in an earlier life (same pid, e.g. PID 1 in a restarted container) is stale', async () => {
    const path = join(dir, 'registry.lock');
    await writeFile(path, `${process.pid}@${hostname()} ${'0'.repeat(32)}\n`);
    const { value: release, ms } = await timed(() => acquireFileLock(path));
    expect(ms).toBeLessThan(1000);
    expect(await readFile(path, 'utf8')).not.toContain('0'.repeat(32));
    await release();
  });

  test('its benign twin: a lock of a live process is respected (the writer waits, then fails, writing nothing)', async () => {
    const store = await FileRegistryStore.open(dir, { lock: { timeoutMs: 300, staleMs: 60_000 } });
    // This test's parent is alive and is not this process.
    await writeFile(join(dir, 'registry.lock'), `${process.ppid}@${hostname()} ${'a'.repeat(32)}\n`);
    await expect(newToken(store, 'admin', ['*'])).rejects.toMatchObject({ code: 'STORAGE_ERROR' });
    expect(await store.listTokens()).toEqual([]);
    expect(await readFile(join(dir, 'registry.lock'), 'utf8')).toContain(`${process.ppid}@`);
  });

  test('a breaker killed while holding its break claim does not block the next writer', async () => {
    const stale = `${DEAD_PID}@${hostname()} ${'b'.repeat(32)}\n`;
    await writeFile(join(dir, 'registry.lock'), stale);
    const { createHash } = await import('node:crypto');
    const claim = `registry.lock.break-${createHash('sha256').update(stale).digest('hex').slice(0, 16)}`;
    await writeFile(join(dir, claim), `${DEAD_PID + 1}@${hostname()} ${'c'.repeat(32)}\n`);
    const { value: release, ms } = await timed(() => acquireFileLock(join(dir, 'registry.lock')));
    expect(ms).toBeLessThan(1000);
    // The claims are garbage once the lock they broke is gone.
    expect((await readdir(dir)).sort()).toEqual(['registry.lock']);
    await release();
    expect(await readdir(dir)).toEqual([]);
  });

  test('twelve contenders breaking one stale lock at once: never two holders, every one gets its turn', async () => {
    const path = join(dir, 'registry.lock');
    for (let round = 0; round < 4; round++) {
      // Both owner formats: with a nonce, and without (written by versions before it).
      const nonce = round % 2 === 0 ? ` ${String(round).repeat(32)}` : '';
      await writeFile(path, `${DEAD_PID}@${hostname()}${nonce}\n`);
      let inside = 0;
      let most = 0;
      let turns = 0;
      await Promise.all(
        Array.from({ length: 12 }, async () => {
          const release = await acquireFileLock(path, { timeoutMs: 10_000, staleMs: 60_000 });
          inside++;
          most = Math.max(most, inside);
          await sleep(1);
          inside--;
          turns++;
          await release();
        }),
      );
      expect(most).toBe(1);
      expect(turns).toBe(12);
      expect(await readdir(dir)).toEqual([]);
    }
  });
});

describe('the audit log and the state agree after a crash', () => {
  test('events appended by a writer killed before its state write are never shown and are cut off', async () => {
    const store = await FileRegistryStore.open(dir);
    await newToken(store, 'admin', ['*']);
    const committed = await readFile(join(dir, 'audit.jsonl'), 'utf8');
    // Exactly what a kill between the audit append and the state rename leaves: a whole, fsynced line.
    const phantom = {
      seq: 2,
      at: new Date().toISOString(),
      action: 'publish',
      actor: { type: 'local', tool: 'crashed writer' },
      name: 'io.github.acme/never',
      version: '1.0.0',
    };
    await writeFile(join(dir, 'audit.jsonl'), `${JSON.stringify(phantom)}\n`, { flag: 'a' });
    const reopened = await FileRegistryStore.open(dir);
    expect((await reopened.readAudit({ limit: 100 })).map((e) => e.action)).toEqual(['token.create']);
    expect(await reopened.getVersion('io.github.acme/never', '1.0.0')).toBeUndefined();
    // The next write takes that sequence number for itself; the phantom is gone from the file.
    await newToken(reopened, 'admin', ['*']);
    const events = await reopened.readAudit({ limit: 100 });
    expect(events.map((e) => [e.seq, e.action])).toEqual([
      [1, 'token.create'],
      [2, 'token.create'],
    ]);
    const text = await readFile(join(dir, 'audit.jsonl'), 'utf8');
    expect(text.startsWith(committed)).toBe(true);
    expect(text).not.toContain('io.github.acme/never');
  });

  test('audit lines without any state file (a crash in the very first write) are not events', async () => {
    await writeFile(join(dir, 'audit.jsonl'), '{"seq":1,"at":"2026-01-01T00:00:00Z","action":"key.create"}\n');
    const store = await FileRegistryStore.open(dir);
    expect(await store.readAudit({ limit: 10 })).toEqual([]);
  });

  test('its benign twin: a data directory from before the state named its audit sequence keeps its log', async () => {
    const store = await FileRegistryStore.open(dir);
    await newToken(store, 'admin', ['*']);
    await store.compact(); // all state in state.json, as the format before the journal kept it
    const state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8'));
    delete state.auditSeq;
    delete state.logSeq;
    state.formatVersion = 1;
    await writeFile(join(dir, 'state.json'), JSON.stringify(state));
    const old = await FileRegistryStore.open(dir);
    expect((await old.readAudit({ limit: 10 })).map((e) => e.seq)).toEqual([1]);
    await newToken(old, 'admin', ['*']);
    expect((await old.readAudit({ limit: 10 })).map((e) => e.seq)).toEqual([1, 2]);
  });
});
