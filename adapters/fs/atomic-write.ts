// Files that must never be half-written (locks, manifests, keys, bundles): write a temp file in the same
// directory, fsync it, rename it over the target, fsync the directory. A crash leaves the old file or
// the new one, never a torn one.

import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { McpLockError } from '../../core/errors.ts';

export interface WriteOptions {
  /** File mode for a new file (e.g. 0o600 for private keys). */
  mode?: number;
  /** Refuse to replace an existing file. */
  exclusive?: boolean;
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some filesystems do not support fsync on directories; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function writeFileAtomic(path: string, data: string | Uint8Array, options: WriteOptions = {}): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
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
      linkExclusive(tmp, path);
    } else {
      renameSync(tmp, path);
    }
    fsyncDir(dir);
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

function linkExclusive(tmp: string, path: string): void {
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
