// The file store's journal: a commit appends one line the size of its change instead of rewriting all
// state; the journal is compacted into the snapshot once it outgrows it; and what a crash leaves at any
// step (a torn line, a compaction cut short between the snapshot and the emptied journal) is recovered on
// the next start, while damage in the middle and a gap between snapshot and journal are refused.
// Another store on the same directory (another process) follows commits and compactions as they happen.

import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { FileRegistryStore } from '../../registry/store/file-store.ts';
import { expectCodeAsync } from '../helpers/expect-code.ts';
import { newToken } from './helpers.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-lock-journal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const journal = () => readFile(join(dir, 'state.log'), 'utf8');
const lines = async () => (await journal()).split('\n').filter(Boolean);

/** n tokens, one transaction each (a token and its audit event, like `registry token create`). */
async function tokens(store: FileRegistryStore, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await newToken(store, 'publisher', ['io.github.acme/*'], `t${i}`);
}

describe('commits', () => {
  test('a commit appends one line the size of its change; the snapshot is not rewritten', async () => {
    const store = await FileRegistryStore.open(dir);
    await tokens(store, 1);
    await store.compact();
    const snapshot = await stat(join(dir, 'state.json'));
    await tokens(store, 100);
    expect(await lines()).toHaveLength(100);
    const sizes = (await lines()).map((l) => l.length);
    // The 100th commit writes what the first did, though the state is 100 times larger.
    expect(Math.max(...sizes)).toBeLessThan(Math.min(...sizes) * 1.2);
    expect((await stat(join(dir, 'state.json'))).mtimeMs).toBe(snapshot.mtimeMs);
    expect((await lines()).map((l) => JSON.parse(l).n)).toEqual(Array.from({ length: 100 }, (_, i) => i + 2));
    const reopened = await FileRegistryStore.open(dir);
    expect(await reopened.listTokens()).toHaveLength(101);
    expect((await reopened.readAudit({ limit: 1000 })).map((e) => e.seq)).toEqual(
      Array.from({ length: 101 }, (_, i) => i + 1),
    );
  });

  test('the journal is compacted once it outgrows the snapshot; another store follows across compactions', async () => {
    const writer = await FileRegistryStore.open(dir, { compactMinBytes: 2048 });
    const reader = await FileRegistryStore.open(dir);
    let compactions = 0;
    let last = (await stat(join(dir, 'state.log')).catch(() => undefined))?.ino;
    for (let i = 0; i < 60; i++) {
      await newToken(writer, 'publisher', ['io.github.acme/*'], `t${i}`);
      const ino = (await stat(join(dir, 'state.log'))).ino;
      if (last !== undefined && ino !== last) compactions++;
      last = ino;
      // The other store sees every commit at once, whether it came by the journal or a new snapshot.
      expect(await reader.listTokens()).toHaveLength(i + 1);
    }
    expect(compactions).toBeGreaterThan(2);
    const snapshot = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8'));
    expect(snapshot.formatVersion).toBe(2);
    // What the snapshot holds plus what the journal adds is everything, numbered without a gap.
    const entries = (await lines()).map((l) => JSON.parse(l).n);
    expect(entries).toEqual(entries.map((_, i) => snapshot.logSeq + 1 + i));
    expect(snapshot.logSeq + entries.length).toBe(60);
    expect(await (await FileRegistryStore.open(dir)).listTokens()).toHaveLength(60);
    expect((await reader.readAudit({ limit: 100 })).map((e) => e.seq)).toEqual(
      Array.from({ length: 60 }, (_, i) => i + 1),
    );
  });
});

describe('crashes', () => {
  test('a torn last line (killed mid-append) is not a commit; the next write cuts it off and continues', async () => {
    const store = await FileRegistryStore.open(dir);
    await tokens(store, 2);
    const whole = await journal();
    await writeFile(join(dir, 'state.log'), '{"n":3,"auditSeq":3,"ops":[{"op":"tok', { flag: 'a' });
    const reopened = await FileRegistryStore.open(dir);
    expect(await reopened.listTokens()).toHaveLength(2);
    await tokens(reopened, 1);
    const text = await journal();
    expect(text.startsWith(whole)).toBe(true);
    expect(text).not.toContain('"op":"tok\n');
    expect((await lines()).map((l) => JSON.parse(l).n)).toEqual([1, 2, 3]);
    expect(await (await FileRegistryStore.open(dir)).listTokens()).toHaveLength(3);
  });

  test('a compaction cut short (snapshot written, journal not yet emptied) applies nothing twice', async () => {
    const store = await FileRegistryStore.open(dir);
    await tokens(store, 3);
    await copyFile(join(dir, 'state.log'), join(dir, 'old.log'));
    await store.compact();
    // Exactly what a kill between the snapshot's rename and the journal's replacement leaves.
    await copyFile(join(dir, 'old.log'), join(dir, 'state.log'));
    const reopened = await FileRegistryStore.open(dir);
    expect(await reopened.listTokens()).toHaveLength(3);
    await tokens(reopened, 1);
    expect((await lines()).map((l) => JSON.parse(l).n)).toEqual([1, 2, 3, 4]);
    const again = await FileRegistryStore.open(dir);
    expect(await again.listTokens()).toHaveLength(4);
    expect((await again.readAudit({ limit: 10 })).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  test('an unreadable line before whole ones is damage, refused; a gap after the snapshot too', async () => {
    const store = await FileRegistryStore.open(dir);
    await tokens(store, 2);
    const [first, second] = await lines();
    await writeFile(join(dir, 'state.log'), `${first}\n{"n":2,"damaged\n${second}\n`);
    await expectCodeAsync(() => FileRegistryStore.open(dir), 'STORAGE_ERROR');
    // The snapshot holds entry 1; a journal that goes on at 3 has lost entry 2.
    await writeFile(join(dir, 'state.log'), `${first}\n`);
    await (await FileRegistryStore.open(dir)).compact();
    await writeFile(join(dir, 'state.log'), `${second!.replace('"n":2', '"n":3')}\n`);
    const error = await expectCodeAsync(() => FileRegistryStore.open(dir), 'STORAGE_ERROR');
    expect(error.message).toMatch(/does not continue/);
  });
});
