// One digest over every file of an installed tree (relative path and SHA-256 of the content), so
// `install` can prove it reproduced the exact bytes and `verify` can notice a file changed on disk.
// Bin links (node_modules/.bin) and npm's own bookkeeping file are left out: they are derived.

import { createHash } from 'node:crypto';
import { type BigIntStats, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalDigest, type Digest } from '../../core/canonical/digest.ts';
import { McpLockError } from '../../core/errors.ts';

export interface FilesDigestLimits {
  maxFiles: number;
  maxBytes: number;
}

export const DEFAULT_FILES_LIMITS: FilesDigestLimits = { maxFiles: 200_000, maxBytes: 2 * 1024 * 1024 * 1024 };

export interface FileEntry {
  path: string;
  sha256: string;
}

/** How a regular file's SHA-256 is obtained: read and hashed (the default), or from a verified index. */
export type HashFile = (full: string, relPath: string, stat: BigIntStats) => string;

export const hashFileContent: HashFile = (full) => createHash('sha256').update(readFileSync(full)).digest('hex');

/** Every file under `nodeModules` as [relative path, sha256], sorted by path. */
export function listFiles(
  nodeModules: string,
  limits: FilesDigestLimits = DEFAULT_FILES_LIMITS,
  hashFile: HashFile = hashFileContent,
): FileEntry[] {
  const out: FileEntry[] = [];
  let bytes = 0;
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const relPath = rel ? `${rel}/${name}` : name;
      if (name === '.bin' && (rel === '' || rel.endsWith('node_modules'))) continue;
      if (relPath === '.package-lock.json') continue;
      const full = join(dir, name);
      const stat = lstatSync(full, { bigint: true });
      if (stat.isDirectory()) {
        walk(full, relPath);
        continue;
      }
      if (out.length >= limits.maxFiles) {
        throw new McpLockError('LIMIT_EXCEEDED', `the installed tree has more than ${limits.maxFiles} files`);
      }
      if (stat.isSymbolicLink()) {
        out.push({ path: relPath, sha256: `symlink:${readlinkSync(full)}` });
        continue;
      }
      if (!stat.isFile()) {
        out.push({ path: relPath, sha256: 'special' });
        continue;
      }
      bytes += Number(stat.size);
      if (bytes > limits.maxBytes) {
        throw new McpLockError('LIMIT_EXCEEDED', `the installed tree is larger than ${limits.maxBytes} bytes`);
      }
      out.push({ path: relPath, sha256: hashFile(full, relPath, stat) });
    }
  };
  walk(nodeModules, '');
  return out;
}

export function filesDigest(files: readonly FileEntry[]): Digest {
  return canonicalDigest(files.map((f) => [f.path, f.sha256]));
}

export function installedFilesDigest(nodeModules: string): Digest {
  return filesDigest(listFiles(nodeModules));
}
