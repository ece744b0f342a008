// A server author's package that no registry has: a directory (packed with npm's own `npm pack
// --ignore-scripts`, so none of its scripts run) or a tarball. The tarball is copied into the project at
// .mcp-lock/local/<sha512-hex>.tgz, committed like the manifests, and pinned by that integrity.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { McpLockError } from '../../core/errors.ts';
import { localTarballPath } from '../../core/manifest/check-tree.ts';
import { readInputFile } from '../fs/read-input.ts';

/** Local tarballs are read whole; a server package beyond this is refused. */
export const MAX_LOCAL_TARBALL_BYTES = 64 * 1024 * 1024;
const PACK_TIMEOUT_MS = 120_000;

/** `./dir`, `../x.tgz`, `/abs/path`, `file:…`: a local package rather than an npm registry spec. */
export function isLocalSpec(spec: string): boolean {
  return /^(\.{1,2}(\/|$)|\/|file:)/.test(spec) || /\.(tgz|tar\.gz)$/.test(spec);
}

export interface StoredLocalTarball {
  /** Absolute path of the project's copy. */
  path: string;
  integrity: string;
  /** This call stored it (it was not in the project before): discardLocalPackage removes it again. */
  created: boolean;
}

export function sha512Integrity(bytes: Buffer): string {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
}

function packDirectory(dir: string, out: string): Promise<string> {
  return new Promise((done, fail) => {
    execFile(
      'npm',
      ['pack', '--ignore-scripts', '--json', '--pack-destination', out],
      {
        cwd: dir,
        timeout: PACK_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, npm_config_loglevel: 'error' },
      },
      (error, _stdout, stderr) => {
        if (error) {
          fail(
            new McpLockError(
              'INSTALL_FAILED',
              `npm pack of ${dir} failed: ${String(stderr).trim().slice(0, 500) || error.message}`,
              {
                hint: 'The directory must hold a valid package.json (name, version, bin).',
              },
            ),
          );
          return;
        }
        const tarballs = readdirSync(out).filter((f) => f.endsWith('.tgz'));
        if (tarballs.length !== 1) fail(new McpLockError('INSTALL_FAILED', `npm pack of ${dir} wrote no tarball`));
        else done(join(out, tarballs[0]!));
      },
    );
  });
}

/** Pack (a directory) or read (a tarball) the local package and store it in the project under its integrity. */
export async function storeLocalPackage(spec: string, cwd: string, project: string): Promise<StoredLocalTarball> {
  const source = resolve(cwd, spec.startsWith('file:') ? spec.slice('file:'.length) : spec);
  if (!existsSync(source)) {
    throw new McpLockError('NOT_FOUND', `${source} does not exist`, {
      hint: 'Give a package directory or a tarball made by `npm pack`.',
    });
  }
  const tmp = mkdtempSync(join(tmpdir(), 'mcp-lock-pack-'));
  try {
    const tarball = statSync(source).isDirectory() ? await packDirectory(source, tmp) : source;
    const bytes = readInputFile(tarball, 'local package tarball', MAX_LOCAL_TARBALL_BYTES);
    const integrity = sha512Integrity(bytes);
    const stored = join(project, localTarballPath(integrity));
    mkdirSync(join(stored, '..'), { recursive: true });
    const created = !existsSync(stored);
    if (created) copyFileSync(tarball, stored);
    return { path: stored, integrity, created };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** A pin that failed leaves no tarball behind that it alone stored. */
export function discardLocalPackage(stored: StoredLocalTarball | undefined): void {
  if (stored?.created) rmSync(stored.path, { force: true });
}

/**
 * Throw INTEGRITY_MISMATCH unless the project's stored copy of a local package still has its pinned
 * integrity (it is missing, or changed on disk).
 */
export function verifyLocalTarball(project: string, integrity: string): string {
  const stored = join(project, localTarballPath(integrity));
  if (!existsSync(stored)) {
    throw new McpLockError(
      'INTEGRITY_MISMATCH',
      `the local package tarball ${localTarballPath(integrity)} is missing`,
      {
        hint: 'Commit .mcp-lock/local/ with the lock, or pin the package again with `mcp-lock add --tofu <dir>`.',
      },
    );
  }
  const found = sha512Integrity(readInputFile(stored, 'local package tarball', MAX_LOCAL_TARBALL_BYTES));
  if (found !== integrity) {
    throw new McpLockError(
      'INTEGRITY_MISMATCH',
      `the local package tarball ${localTarballPath(integrity)} changed on disk`,
      {
        hint: 'Its bytes no longer match the pinned integrity. Restore it from git, or review the change and pin again.',
        data: { expected: integrity, found },
      },
    );
  }
  return stored;
}
