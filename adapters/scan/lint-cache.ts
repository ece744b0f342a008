// The lint findings cache on disk (core/scan/cached-scan.ts decides the keys). It lives in the user's
// cache directory ($XDG_CACHE_HOME/mcp-lock/lint, else ~/.cache/mcp-lock/lint), never in the project:
// everything committed beside the lock is input a pull request can change, and an entry saying "no
// findings" is exactly what an attacker would write. Three things keep an entry honest:
//
//   - the directory must be this user's and not writable by group or others, or the cache is not used;
//   - every entry carries an HMAC-SHA256 under a random per-user secret (created 0600 in that directory),
//     and the key it was written for: an entry that was edited, copied from another key or another
//     machine, truncated or corrupted fails the check and is ignored (the lint runs and rewrites it);
//   - every key includes the rules id: a hash of the lint's own code (all of core/, as shipped: source in
//     a clone, compiled JavaScript in the package), mcp-lock's version and Node's, so a changed rule
//     can never be answered from an entry made by the old one.
//
// Whoever can write this user's home directory can forge entries (they can read the secret), but they
// can also replace mcp-lock itself: that is outside what the cache defends. Failures never fail the lint:
// an unusable cache is a slower lint.

import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LintCache, ScanFinding } from '../../core/scan/index.ts';
import { isSeverity } from '../../core/scan/index.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';

/** An entry larger than this is neither written nor read (a listing of 10,000 findings is ~5 MB). */
const MAX_ENTRY_BYTES = 32 * 1024 * 1024;
/** Past this many entries, a write first removes the older half (by modification time). */
const MAX_ENTRIES = 4096;
const FORMAT = 'v1';

const CORE_DIR = fileURLToPath(new URL('../../core/', import.meta.url));

export interface LintCacheOptions {
  env: NodeJS.ProcessEnv;
  /** mcp-lock's version (part of the rules id). */
  version: string;
  /** The code the rules id is derived from (default: this installation's core/). */
  codeDir?: string;
}

/** The cache directory for this user, from XDG_CACHE_HOME or HOME. */
export function lintCacheDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.cache');
  return join(base, 'mcp-lock', 'lint');
}

/** A hash of every file under `dir` (paths and bytes, in sorted order): the identity of that code. */
export function codeId(dir: string): string {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
  const hash = createHash('sha256');
  for (const file of files) {
    const bytes = readFileSync(join(dir, file));
    hash.update(`${file}\u0000${bytes.length}\u0000`).update(bytes);
  }
  return hash.digest('hex');
}

/** A directory this user owns that nobody else can write, or false. */
function privateDir(path: string): boolean {
  const stat = lstatSync(path);
  const uid = process.getuid?.();
  return stat.isDirectory() && (uid === undefined || stat.uid === uid) && (stat.mode & 0o022) === 0;
}

function readSecret(dir: string): Buffer {
  const path = join(dir, 'secret');
  try {
    writeFileAtomic(path, randomBytes(32).toString('hex'), { mode: 0o600, exclusive: true });
  } catch {
    // Already there (or a race with another process that made it): read what is there.
  }
  const stat = lstatSync(path);
  const uid = process.getuid?.();
  if (!stat.isFile() || (uid !== undefined && stat.uid !== uid) || (stat.mode & 0o077) !== 0 || stat.size !== 64) {
    throw new Error('the lint cache secret is not a private file');
  }
  return Buffer.from(readFileSync(path, 'utf8'), 'hex');
}

function isFinding(value: unknown): value is ScanFinding {
  if (!value || typeof value !== 'object') return false;
  const f = value as Record<string, unknown>;
  return (
    ['rule', 'server', 'item', 'path', 'message', 'excerpt', 'digest'].every((k) => typeof f[k] === 'string') &&
    isSeverity(f.severity)
  );
}

class DiskLintCache implements LintCache {
  readonly #dir: string;
  readonly #secret: Buffer;
  readonly #options: LintCacheOptions;
  #rulesId: string | undefined;
  #pruned = false;

  constructor(dir: string, secret: Buffer, options: LintCacheOptions) {
    this.#dir = dir;
    this.#secret = secret;
    this.#options = options;
  }

  get rulesId(): string {
    this.#rulesId ??= createHash('sha256')
      .update(
        JSON.stringify([FORMAT, this.#options.version, process.version, codeId(this.#options.codeDir ?? CORE_DIR)]),
      )
      .digest('hex');
    return this.#rulesId;
  }

  #mac(payload: string): Buffer {
    return createHmac('sha256', this.#secret).update(payload).digest();
  }

  #path(key: string): string {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new Error('a lint cache key is a sha256 hex digest');
    return join(this.#dir, `${key}.json`);
  }

  get(key: string): ScanFinding[] | undefined {
    try {
      const path = this.#path(key);
      const stat = lstatSync(path);
      if (!stat.isFile() || stat.size > MAX_ENTRY_BYTES) return undefined;
      const text = readFileSync(path, 'utf8');
      const newline = text.indexOf('\n');
      if (newline !== 64) return undefined;
      const mac = Buffer.from(text.slice(0, 64), 'hex');
      const payload = text.slice(65);
      const expected = this.#mac(payload);
      if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return undefined;
      const entry = JSON.parse(payload) as { key?: unknown; findings?: unknown };
      if (entry.key !== key || !Array.isArray(entry.findings) || !entry.findings.every(isFinding)) return undefined;
      return entry.findings;
    } catch {
      return undefined;
    }
  }

  set(key: string, findings: readonly ScanFinding[]): void {
    try {
      const payload = JSON.stringify({ key, findings });
      if (payload.length > MAX_ENTRY_BYTES) return;
      this.#prune();
      // Renamed into place (a reader sees the old entry or the new one), but not fsynced: an entry lost
      // in a crash is only a lint that runs again.
      const path = this.#path(key);
      const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
      writeFileSync(tmp, `${this.#mac(payload).toString('hex')}\n${payload}`, { mode: 0o600, flag: 'wx' });
      try {
        renameSync(tmp, path);
      } catch {
        rmSync(tmp, { force: true });
      }
    } catch {
      // Not cached: the next run lints again.
    }
  }

  /** Keep the directory bounded: once per process, drop the older half past MAX_ENTRIES. */
  #prune(): void {
    if (this.#pruned) return;
    this.#pruned = true;
    const entries = readdirSync(this.#dir).filter((n) => n.endsWith('.json'));
    if (entries.length < MAX_ENTRIES) return;
    const dated = entries.map((n) => ({ n, t: statSync(join(this.#dir, n)).mtimeMs })).sort((a, b) => a.t - b.t);
    for (const { n } of dated.slice(0, dated.length >> 1)) rmSync(join(this.#dir, n), { force: true });
  }
}

/** A cache that holds nothing (--no-cache, or no usable directory). */
export const NO_LINT_CACHE: LintCache = { rulesId: 'none', get: () => undefined, set: () => {} };

/** The user's lint cache, or NO_LINT_CACHE when its directory is missing rights or is not private. */
export function openLintCache(options: LintCacheOptions): LintCache {
  try {
    const root = lintCacheDir(options.env);
    mkdirSync(root, { recursive: true, mode: 0o700 });
    // Its parent too: whoever can write mcp-lock/ can swap lint/ for a directory of their own.
    if (!privateDir(dirname(root)) || !privateDir(root)) return NO_LINT_CACHE;
    const dir = join(root, FORMAT);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!privateDir(dir)) return NO_LINT_CACHE;
    return new DiskLintCache(dir, readSecret(root), options);
  } catch {
    return NO_LINT_CACHE;
  }
}
