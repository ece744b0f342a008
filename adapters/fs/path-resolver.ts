// The PathResolver port (core/ports.ts) on the real filesystem: what a path argument of a local server
// resolves to, symlinks included, as the kernel would resolve it when the server opens it. The server runs
// in its install directory (its working directory), so relative arguments resolve there.

import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { posix } from 'node:path';
import type { PathResolver } from '../../core/ports.ts';

/**
 * realpath(3) of the longest existing prefix of an absolute path (kernel semantics: `link/..` is the
 * parent of the link's target), then the rest appended and normalised lexically.
 */
export function kernelRealpath(path: string): string {
  const parts = path.split('/');
  const real = (n: number): string | null => {
    try {
      return realpathSync.native(parts.slice(0, n).join('/') || '/');
    } catch {
      return null;
    }
  };
  // The kernel walks a path component by component and fails at the first missing one, so the prefixes
  // that resolve are exactly the first K: binary search for K (a few syscalls even for a deep path).
  let lo = 1;
  let hi = parts.length;
  let found = real(1) ?? '/';
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const r = real(mid);
    if (r === null) hi = mid - 1;
    else {
      lo = mid;
      found = r;
    }
  }
  const rest = parts.slice(lo).join('/');
  return rest ? posix.normalize(`${found}/${rest}`) : found;
}

export function filesystemPaths(options: { cwd: string; root: string; home?: string | null }): PathResolver {
  return {
    cwd: options.cwd,
    root: options.root,
    home: options.home === undefined ? homedir() || null : options.home,
    realpath: kernelRealpath,
  };
}
