// A lock file that serializes writers across processes sharing one data directory (the running registry
// and `mcp-lock registry token|signer` run against it).
//
// - The lock appears whole or not at all: its owner line (pid, host, a random nonce) is written to a temp
//   file that is then hard-linked into place, so a kill never leaves an empty or torn lock.
// - A lock is stale when its owner is provably gone: same host and the pid is dead (or is this process
//   but not this incarnation), or it is unreadable as a lock. A lock from another host goes stale by age.
// - Breaking is race-free: a breaker first claims the break of that exact lock instance, by creating
//   `<lock>.break-<hash of its content>` exclusively; only the claim's holder removes the lock, and only
//   while it still holds that content. A claim whose breaker died is broken the same way, one level up.
// - Waiting is bounded; release removes the lock only while it is still ours.

import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createFileExclusive } from '../../adapters/fs/atomic-write.ts';
import { McpLockError } from '../../core/errors.ts';

export interface LockOptions {
  timeoutMs: number;
  /** Age after which a lock from another host (whose pid cannot be checked) is stale. */
  staleMs: number;
}

export const DEFAULT_LOCK_OPTIONS: LockOptions = { timeoutMs: 15_000, staleMs: 60_000 };

/** How deep claims on claims may go (each level needs a breaker killed within microseconds). */
const MAX_BREAK_DEPTH = 3;
/** `pid@host nonce`; versions before the nonce wrote `pid@host`. */
const OWNER_LINE = /^(\d{1,10})@(\S{1,255})(?: ([0-9a-f]{32}))?\n$/;
const incarnation = randomBytes(8).toString('hex');

interface Owner {
  pid: number;
  host: string;
  nonce: string;
}

function ownerLine(): string {
  return `${process.pid}@${hostname()} ${incarnation}${randomBytes(8).toString('hex')}\n`;
}

function parseOwner(text: string): Owner | undefined {
  const m = OWNER_LINE.exec(text);
  return m ? { pid: Number(m[1]), host: m[2]!, nonce: m[3] ?? '' } : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readIfPresent(path: string): Promise<{ text: string; mtimeMs: number } | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { text, mtimeMs: info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new McpLockError('STORAGE_ERROR', `cannot read the lock file ${path}`, { cause: error });
  }
}

function describeHolder(text: string): string {
  const owner = parseOwner(text);
  return owner ? `pid ${owner.pid} on ${owner.host}` : 'an unknown process';
}

/** Whether the process that wrote `text` is provably gone (or, from another host, the lock is too old). */
function isStale(text: string, mtimeMs: number, staleMs: number): boolean {
  const owner = parseOwner(text);
  if (!owner) return true; // every lock we write is whole: anything else is debris (an old version's crash)
  if (owner.host !== hostname()) return Date.now() - mtimeMs > staleMs;
  if (owner.pid === process.pid) return !owner.nonce.startsWith(incarnation); // a previous life of this pid
  return !alive(owner.pid);
}

function claimPathFor(path: string, content: string): string {
  return `${path}.break-${createHash('sha256').update(content).digest('hex').slice(0, 16)}`;
}

/**
 * Remove the lock at `path` if it still holds exactly `content` (judged stale), claiming the break first so
 * no two breakers can each remove a different instance. Returns when the caller should try again.
 */
async function breakStale(path: string, content: string, staleMs: number, depth: number): Promise<void> {
  const claim = claimPathFor(path, content);
  const mine = ownerLine();
  if (!(await createFileExclusive(claim, mine, 0o600))) {
    // Another process is breaking this lock. If it died doing so, break its claim, one level up.
    const other = await readIfPresent(claim);
    if (other && depth < MAX_BREAK_DEPTH && isStale(other.text, other.mtimeMs, staleMs)) {
      await breakStale(claim, other.text, staleMs, depth + 1);
    }
    return;
  }
  try {
    // Only the claim's holder removes this instance; its owner is gone, so it cannot change under us.
    if ((await readIfPresent(path))?.text === content) await rm(path, { force: true });
  } finally {
    await rm(claim, { force: true });
  }
}

/** Claims left by breakers killed after their break: garbage once the lock they broke is gone. */
async function sweepClaims(path: string, current: string): Promise<void> {
  const prefix = `${basename(path)}.break-`;
  const keep = basename(claimPathFor(path, current));
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith(prefix) && name !== keep) {
      await rm(join(dirname(path), name), { force: true });
    }
  }
}

/** Acquire the lock; the returned function releases it. */
export async function acquireFileLock(
  path: string,
  options: LockOptions = DEFAULT_LOCK_OPTIONS,
): Promise<() => Promise<void>> {
  const started = Date.now();
  let delay = 2;
  for (;;) {
    const mine = ownerLine();
    let created: boolean;
    try {
      created = await createFileExclusive(path, mine, 0o600);
    } catch (error) {
      throw new McpLockError('STORAGE_ERROR', `cannot create the lock file ${path}`, {
        hint: 'Check that the data directory exists and is writable by this user.',
        cause: error,
      });
    }
    if (created) {
      await sweepClaims(path, mine);
      return async () => {
        if ((await readIfPresent(path))?.text === mine) await rm(path, { force: true });
      };
    }
    const held = await readIfPresent(path);
    if (held && isStale(held.text, held.mtimeMs, options.staleMs)) {
      await breakStale(path, held.text, options.staleMs, 0);
      continue;
    }
    if (Date.now() - started > options.timeoutMs) {
      throw new McpLockError(
        'STORAGE_ERROR',
        `the registry data directory is locked by ${describeHolder(held?.text ?? '')}`,
        {
          hint: `Another mcp-lock process is writing to it. If none is, remove ${path}.`,
        },
      );
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 50);
  }
}
