// The files of a project that uses mcp-lock:
//   mcp-lock.json                                    the lock (committed)
//   .mcp-lock/manifests/<hex>.json                   every pinned manifest, by digest (committed)
//   .mcp-lock/bundles/<hex>.<role>.sigstore.json     publisher and approval bundles (committed)
//   .mcp-lock/store/<name>/<hex>/node_modules/…      installed packages (ignored by git)
// Readers verify what they read: a manifest file must hash to the digest it is stored under.

import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AttestationRole } from '../../core/attestation/statement.ts';
import type { Orphans } from '../../core/consumer/plan.ts';
import { McpLockError } from '../../core/errors.ts';
import type { McpLockFile } from '../../core/generated/lockfile.ts';
import type { McpLockManifest } from '../../core/generated/manifest.ts';
import type { JsonValue } from '../../core/json/strict-json.ts';
import { formatLock, LOCK_FILE, parseLock } from '../../core/lockfile/lockfile.ts';
import type { TreeRules } from '../../core/manifest/check-tree.ts';
import { formatManifest, manifestDigest, parseManifest } from '../../core/manifest/manifest.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { readInputFile } from '../fs/read-input.ts';
import { parseBundle } from '../sigstore/verify.ts';

export const STATE_DIR = '.mcp-lock';

export interface ProjectPaths {
  root: string;
  lock: string;
  state: string;
  manifests: string;
  bundles: string;
  store: string;
}

export function projectPaths(root: string): ProjectPaths {
  const state = join(root, STATE_DIR);
  return {
    root,
    lock: join(root, LOCK_FILE),
    state,
    manifests: join(state, 'manifests'),
    bundles: join(state, 'bundles'),
    store: join(state, 'store'),
  };
}

function hexOf(digest: string): string {
  const m = /^sha256:([0-9a-f]{64})$/.exec(digest);
  if (!m) throw new McpLockError('LOCK_INVALID', `"${digest}" is not a sha256 digest`);
  return m[1]!;
}

export function lockExists(root: string): boolean {
  return existsSync(projectPaths(root).lock);
}

export function readLock(root: string): McpLockFile {
  const { lock } = projectPaths(root);
  if (!existsSync(lock)) {
    throw new McpLockError('LOCK_MISSING', `no ${LOCK_FILE} in ${root}`, {
      hint: 'Create one with `mcp-lock init`, or run from the directory that holds it.',
    });
  }
  return parseLock(readInputFile(lock, LOCK_FILE, 64 * 1024 * 1024));
}

/** Create the state directories and the .gitignore that keeps the store out of git. */
export function ensureStateDirs(root: string): ProjectPaths {
  const paths = projectPaths(root);
  for (const dir of [paths.state, paths.manifests, paths.bundles, paths.store]) mkdirSync(dir, { recursive: true });
  const ignore = join(paths.state, '.gitignore');
  if (!existsSync(ignore)) {
    writeFileSync(
      ignore,
      '# installed packages are reproduced by `mcp-lock install`; audit logs, the TUF cache and run-time state are local\nstore/\naudit/\ntuf/\nrun/\ncontrol/\n',
    );
  }
  return paths;
}

/** Write the lock atomically (temp file, fsync, rename): a crash leaves the old or the new lock. */
export function writeLock(root: string, lock: McpLockFile): void {
  writeFileAtomic(projectPaths(root).lock, formatLock(lock));
}

export function manifestPath(root: string, digest: string): string {
  return join(projectPaths(root).manifests, `${hexOf(digest)}.json`);
}

export function bundlePath(root: string, digest: string, role: AttestationRole): string {
  return join(projectPaths(root).bundles, `${hexOf(digest)}.${role}.sigstore.json`);
}

/** Store a manifest under its digest (idempotent). */
export function storeManifest(root: string, manifest: McpLockManifest): string {
  const digest = manifestDigest(manifest);
  const path = manifestPath(root, digest);
  if (!existsSync(path)) writeFileAtomic(path, formatManifest(manifest));
  return digest;
}

/** Read the manifest stored for a digest; it must hash to that digest. */
export function loadManifest(root: string, digest: string, rules?: TreeRules): McpLockManifest {
  const path = manifestPath(root, digest);
  if (!existsSync(path)) {
    throw new McpLockError('MATERIAL_MISSING', `the manifest ${digest} is missing from ${STATE_DIR}/manifests`, {
      hint: `Commit ${STATE_DIR}/manifests and ${STATE_DIR}/bundles with ${LOCK_FILE}; re-run \`mcp-lock add\` to restore them.`,
    });
  }
  const manifest = parseManifest(readInputFile(path, 'stored manifest'), rules);
  const found = manifestDigest(manifest);
  if (found !== digest) {
    throw new McpLockError('DIGEST_MISMATCH', `${path} does not hash to ${digest}`, {
      hint: 'The stored manifest was changed; restore it from version control.',
      data: { expected: digest, found },
    });
  }
  return manifest;
}

export function storeBundle(root: string, digest: string, role: AttestationRole, bundle: JsonValue): void {
  writeFileAtomic(bundlePath(root, digest, role), `${JSON.stringify(bundle, null, 2)}\n`);
}

export function hasBundle(root: string, digest: string, role: AttestationRole): boolean {
  return existsSync(bundlePath(root, digest, role));
}

export function loadBundle(root: string, digest: string, role: AttestationRole): JsonValue {
  const path = bundlePath(root, digest, role);
  if (!existsSync(path)) {
    throw new McpLockError(
      'MATERIAL_MISSING',
      `the ${role} bundle for ${digest} is missing from ${STATE_DIR}/bundles`,
      {
        hint: `Commit ${STATE_DIR}/bundles with ${LOCK_FILE}.`,
      },
    );
  }
  return parseBundle(readInputFile(path, `${role} bundle`, 1024 * 1024)).json;
}

/** Where a pinned package is installed: content-addressed by its manifest digest. */
export function storeDir(root: string, name: string, digest: string): string {
  return join(projectPaths(root).store, encodeURIComponent(name), hexOf(digest));
}

/**
 * Delete what a lock change left unused (core/consumer/plan.ts says what): a manifest with its bundles,
 * and an installed tree. Called after the new lock is written, so an interruption leaves only garbage.
 */
export function removeOrphans(root: string, orphans: Orphans): void {
  if (orphans.manifest) {
    for (const path of [
      manifestPath(root, orphans.manifest),
      bundlePath(root, orphans.manifest, 'publisher'),
      bundlePath(root, orphans.manifest, 'approval'),
    ]) {
      rmSync(path, { force: true });
    }
  }
  if (orphans.store) rmSync(storeDir(root, orphans.store.name, orphans.store.digest), { recursive: true, force: true });
  if (orphans.localTarball) rmSync(join(root, orphans.localTarball), { force: true });
}

/** Manifests stored in the project (hex digests), for garbage collection and scanning. */
export function storedManifestDigests(root: string): string[] {
  const dir = projectPaths(root).manifests;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^[0-9a-f]{64}\.json$/.test(f))
    .map((f) => `sha256:${f.slice(0, 64)}`);
}
