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
  for (let n = parts.length; n > 1; n--) {
    const prefix = parts.slice(0, n).join('/');
    if (prefix === '') continue;
    let real: string;
    try {
      real = realpathSync.native(prefix);
    } catch {
      continue;
    }
    const rest = parts.slice(n).join('/');
    return rest ? posix.normalize(`${real}/${rest}`) : real;
  }
  return posix.normalize(path.startsWith('/') ? path : `/${path}`);
}

export function filesystemPaths(options: { cwd: string; root: string; home?: string | null }): PathResolver {
  return {
    cwd: options.cwd,
    root: options.root,
    home: options.home === undefined ? homedir() || null : options.home,
    realpath: kernelRealpath,
  };
}
