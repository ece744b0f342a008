// The launch index (adapters/npm/files-index.ts) gives exactly the full-hash digest, reads only what
// changed, and never trusts a recorded hash for a file whose stat tuple moved, even when content changes
// with size and mtime kept. Real files in a temp directory.

import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { installedFilesDigest } from '../../../adapters/npm/files-digest.ts';
import { indexedFilesDigest } from '../../../adapters/npm/files-index.ts';

let root: string;
let nm: string;
let index: string;
const OLD = new Date('2026-01-01T00:00:00Z');
/** A racy window reaching into the future: every file counts as settled (the window itself is tested apart). */
const SETTLED = -(10n ** 15n);

function put(rel: string, content: string): void {
  const full = join(nm, rel);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, content);
  utimesSync(full, OLD, OLD);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'files-index-'));
  nm = join(root, 'node_modules');
  index = join(root, '.files-index.json');
  put('a/package.json', '{"name":"a"}');
  put('a/index.js', 'module.exports = 1;\n');
  put('b/lib/x.js', 'x');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('indexedFilesDigest', () => {
  test('equals the full digest, and a second pass reads nothing once files are past the racy window', () => {
    const first = indexedFilesDigest(nm, index, SETTLED);
    expect(first.digest).toBe(installedFilesDigest(nm));
    expect(first.hashed).toBe(3);
    const second = indexedFilesDigest(nm, index, SETTLED);
    expect(second).toEqual({ digest: first.digest, hashed: 0 });
  });

  test('files changed within the racy window are not recorded, so they are read again', () => {
    indexedFilesDigest(nm, index);
    expect(indexedFilesDigest(nm, index).hashed).toBe(3);
  });

  test('content changed with the same size and the same mtime is re-read and changes the digest', async () => {
    const pinned = indexedFilesDigest(nm, index, SETTLED).digest;
    // Past one kernel timestamp tick (the production racy window is 2 s; this test turned it off).
    await new Promise((r) => setTimeout(r, 30));
    const file = join(nm, 'a/index.js');
    const before = statSync(file, { bigint: true });
    writeFileSync(file, 'module.exports = 2;\n');
    utimesSync(file, OLD, OLD);
    const after = statSync(file, { bigint: true });
    expect([after.size, after.mtimeNs]).toEqual([before.size, before.mtimeNs]);
    const next = indexedFilesDigest(nm, index, SETTLED);
    expect(next.hashed).toBe(1);
    expect(next.digest).not.toBe(pinned);
    expect(next.digest).toBe(installedFilesDigest(nm));
  });

  test('an added file, a removed file and a file swapped for a symlink all change the digest', () => {
    const pinned = indexedFilesDigest(nm, index, SETTLED).digest;
    put('a/extra.js', 'evil()');
    expect(indexedFilesDigest(nm, index, SETTLED).digest).not.toBe(pinned);
    unlinkSync(join(nm, 'a/extra.js'));
    expect(indexedFilesDigest(nm, index, SETTLED).digest).toBe(pinned);
    unlinkSync(join(nm, 'b/lib/x.js'));
    symlinkSync('/etc/passwd', join(nm, 'b/lib/x.js'));
    const swapped = indexedFilesDigest(nm, index, SETTLED).digest;
    expect(swapped).not.toBe(pinned);
    expect(swapped).toBe(installedFilesDigest(nm));
  });

  test('an index that does not parse, or has the wrong shape, is ignored and rewritten', () => {
    const pinned = indexedFilesDigest(nm, index, SETTLED).digest;
    for (const bad of ['{"version":1,"files":{"a/index.js":["x","zz"]}', '[]', '{"version":2,"files":{}}', '\u0000']) {
      writeFileSync(index, bad);
      const r = indexedFilesDigest(nm, index, SETTLED);
      expect(r.digest).toBe(pinned);
      expect(r.hashed).toBe(3);
      expect(JSON.parse(readFileSync(index, 'utf8')).version).toBe(1);
    }
  });
});
