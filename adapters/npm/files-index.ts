// A verified index of an installed tree, so `run` does not re-read every installed file at each launch
// (server-everything: 3,892 files, 32 MB). Like git's index, it remembers, per relative path, the file's
// device, inode, size, mtime and ctime (nanoseconds) next to the SHA-256 last read from it. At launch the
// tree is still walked whole (every directory listed, every entry lstat-ed, so an added, removed or
// renamed file is seen), but a regular file whose stat tuple is unchanged is not re-read: its recorded
// hash is used. Anything else is read and hashed again, and the index is rewritten.
//
// Threat model. The guarantee at launch stays "a file changed after install fails": any write to a file
// changes its ctime, which user space cannot set back (utimes sets atime/mtime only, and itself bumps
// ctime); replacing a file changes its inode. So content changed with size and mtime kept is still
// re-hashed and caught. What the index does not resist is an attacker who can write the store *and*
// rewrites the index to match: such an attacker edits the tree and the index together. That attacker can
// equally edit the lock's neighbours in the project, so the launch check was never the line against
// them; `mcp-lock verify` (and `install`) ignore the index and re-hash everything, which CI runs. The
// index is bounded (size, entries) and shape-checked; one that does not parse is ignored.

import { type BigIntStats, lstatSync, readFileSync } from 'node:fs';
import type { Digest } from '../../core/canonical/digest.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { DEFAULT_FILES_LIMITS, filesDigest, hashFileContent, listFiles } from './files-digest.ts';

/** The index's file name, beside node_modules in a server's store directory (outside the digest). */
export const FILES_INDEX = '.files-index.json';
const INDEX_VERSION = 1;
const INDEX_MAX_BYTES = 64 * 1024 * 1024;

/** Files changed this recently are not recorded (git's "racily clean" rule): a write within the same
 * timestamp tick as our read could leave the stat tuple as it was. They are hashed again next time. */
const RACY_NS = 2_000_000_000n;

/** The stat tuple that must be unchanged for a recorded hash to count. */
function statKey(st: BigIntStats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}

interface IndexEntry {
  stat: string;
  sha256: string;
}

function readIndex(indexPath: string): Map<string, IndexEntry> {
  const entries = new Map<string, IndexEntry>();
  let doc: unknown;
  try {
    // JSON.parse, not the strict parser: the index is our own cache, bounded here, and only a speed-up;
    // every value is shape-checked below and a doubtful entry only means that file is read again.
    const bytes = readFileSync(indexPath);
    if (bytes.length > INDEX_MAX_BYTES) return entries;
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    return entries; // missing or unreadable: hash everything
  }
  if (!doc || typeof doc !== 'object' || (doc as { version?: unknown }).version !== INDEX_VERSION) return entries;
  const files = (doc as { files?: unknown }).files;
  if (!files || typeof files !== 'object' || Array.isArray(files)) return entries;
  for (const [path, value] of Object.entries(files)) {
    if (entries.size >= DEFAULT_FILES_LIMITS.maxFiles) break;
    if (!Array.isArray(value) || value.length !== 2) continue;
    const [stat, sha256] = value;
    if (typeof stat === 'string' && typeof sha256 === 'string' && /^[0-9a-f]{64}$/.test(sha256)) {
      entries.set(path, { stat, sha256 });
    }
  }
  return entries;
}

export interface IndexedDigest {
  digest: Digest;
  /** How many regular files had to be read and hashed (0 when the index covered all of them). */
  hashed: number;
}

/**
 * The same digest as installedFilesDigest(nodeModules), reading only the files whose stat tuple differs
 * from the index at `indexPath`; rewrites the index when anything was hashed. A failure to write the
 * index (a read-only store) costs speed, never correctness.
 */
export function indexedFilesDigest(nodeModules: string, indexPath: string, racyWindowNs = RACY_NS): IndexedDigest {
  const previous = readIndex(indexPath);
  const next: Record<string, [string, string]> = {};
  const racyAfter = BigInt(Date.now()) * 1_000_000n - racyWindowNs;
  let hashed = 0;
  const files = listFiles(nodeModules, DEFAULT_FILES_LIMITS, (full, relPath, stat) => {
    const before = statKey(stat);
    const known = previous.get(relPath);
    if (known && known.stat === before) {
      next[relPath] = [before, known.sha256];
      return known.sha256;
    }
    hashed++;
    const sha256 = hashFileContent(full, relPath, stat);
    // Record the tuple only if the file did not change while it was read, and is not racily new.
    if (stat.ctimeNs < racyAfter && statKey(lstatSync(full, { bigint: true })) === before) {
      next[relPath] = [before, sha256];
    }
    return sha256;
  });
  if (hashed > 0 || previous.size !== Object.keys(next).length) {
    try {
      writeFileAtomic(indexPath, JSON.stringify({ version: INDEX_VERSION, files: next }));
    } catch {
      // Speed only.
    }
  }
  return { digest: filesDigest(files), hashed };
}
