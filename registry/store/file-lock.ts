// A lock file that serializes writers across processes sharing one data directory (the running registry
// and `mcp-lock registry token|signer` run against it). Created with O_EXCL; a lock left by a dead process
// or older than the stale limit is broken; waiting is bounded.

import { open, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { McpLockError } from '../../core/errors.ts';

export interface LockOptions {
  timeoutMs: number;
  staleMs: number;
}

export const DEFAULT_LOCK_OPTIONS: LockOptions = { timeoutMs: 15_000, staleMs: 60_000 };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isStale(path: string, staleMs: number): Promise<{ stale: boolean; holder: string }> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    const owner = /^(\d+)@(.*)$/.exec(text.trim());
    const holder = owner ? `pid ${owner[1]} on ${owner[2]}` : 'an unknown process';
    if (Date.now() - info.mtimeMs > staleMs) return { stale: true, holder };
    if (owner && owner[2] === hostname() && !alive(Number(owner[1]))) return { stale: true, holder };
    return { stale: false, holder };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { stale: false, holder: 'nobody' };
    // A lock written half-way (crash between create and write) is empty: treat it by age only.
    return { stale: false, holder: 'an unknown process' };
  }
}

/** Acquire the lock; the returned function releases it. */
export async function acquireFileLock(
  path: string,
  options: LockOptions = DEFAULT_LOCK_OPTIONS,
): Promise<() => Promise<void>> {
  const started = Date.now();
  let delay = 5;
  for (;;) {
    try {
      const fh = await open(path, 'wx', 0o600);
      try {
        await fh.writeFile(`${process.pid}@${hostname()}\n`);
      } finally {
        await fh.close();
      }
      return async () => {
        await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new McpLockError('STORAGE_ERROR', `cannot create the lock file ${path}`, { cause: error });
      }
    }
    const { stale, holder } = await isStale(path, options.staleMs);
    if (stale) {
      await rm(path, { force: true });
      continue;
    }
    if (Date.now() - started > options.timeoutMs) {
      throw new McpLockError('STORAGE_ERROR', `the registry data directory is locked by ${holder}`, {
        hint: `Another mcp-lock process is writing to it. If none is, remove ${path}.`,
      });
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 100);
  }
}
