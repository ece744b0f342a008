// The one crash-safety primitive for files that must never be half-written (locks, manifests, keys,
// bundles, the registry's state and lock file): write a complete temp file in the same directory, fsync
// it, then rename it over the target (replace) or hard-link it to the target (create only if absent),
// and fsync the directory. A crash leaves the old file or the new one, never a torn or empty one.
// Synchronous functions serve the CLI; the async ones serve the registry, whose event loop must not stall.

import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { link, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { McpLockError } from '../../core/errors.ts';

export interface WriteOptions {
  /** File mode for a new file (e.g. 0o600 for private keys). */
  mode?: number;
  /** Refuse to replace an existing file. */
  exclusive?: boolean;
}

/** Temp files are dot-named with the pid and a random part, so readers never mistake them for targets. */
function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Filesystems that cannot fsync a directory say so with one of these; the rename is atomic all the same. */
const NO_DIR_FSYNC = new Set(['EISDIR', 'EINVAL', 'EPERM', 'ENOTSUP', 'EBADF']);

function fsyncDirSync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch (error) {
    if (!NO_DIR_FSYNC.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function writeFileAtomic(path: string, data: string | Uint8Array, options: WriteOptions = {}): void {
  const dir = dirname(path);
  const tmp = tempPathFor(path);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', options.mode ?? 0o644);
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    if (options.exclusive) {
      // link-then-unlink keeps "do not replace" atomic: link fails if the target exists.
      linkExclusiveSync(tmp, path);
    } else {
      renameSync(tmp, path);
    }
    fsyncDirSync(dir);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    if (error instanceof McpLockError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new McpLockError('FILE_UNREADABLE', `could not write ${path}: ${code ?? String(error)}`, {
      hint: code === 'ENOENT' ? 'Create the directory first.' : 'Check the path and permissions.',
      cause: error,
    });
  }
}

function linkExclusiveSync(tmp: string, path: string): void {
  try {
    linkSync(tmp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new McpLockError('CONFLICT', `${path} already exists`, { hint: 'Pass --force to replace it.' });
    }
    throw error;
  } finally {
    unlinkSync(tmp);
  }
}

// ── async, for the registry ───────────────────────────────────────────────────────────────────

async function writeTemp(path: string, data: string | Uint8Array, mode: number): Promise<string> {
  const tmp = tempPathFor(path);
  const fh = await open(tmp, 'wx', mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (error) {
    await fh.close();
    await rm(tmp, { force: true });
    throw error;
  }
  await fh.close();
  return tmp;
}

/** Make a rename or link durable: fsync the directory that holds it (best effort where unsupported). */
export async function fsyncDir(dir: string): Promise<void> {
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (error) {
    if (!NO_DIR_FSYNC.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await fh?.close();
  }
}

/** Replace `path` atomically with `data`. */
export async function replaceFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const tmp = await writeTemp(path, data, mode);
  try {
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  await fsyncDir(dirname(path));
}

/**
 * Create `path` with `data` only if it does not exist yet, atomically (hard link of a complete temp file):
 * the file appears whole or not at all. Returns false when it already existed; its content is left alone.
 */
export async function createFileExclusive(path: string, data: string | Uint8Array, mode = 0o600): Promise<boolean> {
  const tmp = await writeTemp(path, data, mode);
  try {
    await link(tmp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(tmp, { force: true });
  }
  await fsyncDir(dirname(path));
  return true;
}
