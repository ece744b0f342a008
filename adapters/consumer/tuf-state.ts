// A registry's signed state, read through tuf-js with nothing but configuration: the root pinned in
// the lock, the registry's metadata URL and size caps. The refresh runs in a scratch copy of the
// project's TUF cache (.mcp-lock/tuf/<registry>/) and is copied back only when it verified, so a
// refused refresh writes nothing. Status, latest and digests come from signed targets only.

import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Updater } from 'tuf-js';
import { McpLockError } from '../../core/errors.ts';
import type { McpLockFile, TufRoot, TufSeen } from '../../core/generated/lockfile.ts';
import { parseSnapshot, parseTargets, parseTimestamp, TUF_MAX_BYTES } from '../../core/registry/tuf/metadata.ts';
import {
  indexTargetPath,
  readServerIndex,
  readVersionTarget,
  type ServerIndexFacts,
  type VersionTargetFacts,
  versionTargetPath,
} from '../../core/registry/tuf/targets.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';

export const tufMetadataUrl = (registry: string) => `${registry}/mcp-lock/v1/tuf/`;

/** What the registry signed, after a verified refresh. */
export interface SignedRegistryState {
  registry: string;
  /** The versions this refresh verified (a lock written now records them). */
  seen: TufSeen;
  /** The signed facts of one version; VERSION_NOT_LISTED when the targets do not list it. */
  version(name: string, version: string): Promise<VersionTargetFacts>;
  /** The signed index of a server: its latest approved version and every public version. */
  server(name: string): Promise<ServerIndexFacts>;
}

const CACHE_FILES = ['root.json', 'timestamp.json', 'snapshot.json', 'targets.json'];

function cacheDir(project: string, registry: string): string {
  return join(project, '.mcp-lock', 'tuf', createHash('sha256').update(registry).digest('hex').slice(0, 16));
}

/** tuf-js's errors, in our three outcomes. */
export function toStateError(registry: string, error: unknown): McpLockError {
  if (error instanceof McpLockError) return error;
  const text =
    error instanceof Error
      ? `${error.message}${error.cause ? ` (${(error.cause as Error).message})` : ''}`
      : String(error);
  if (/expired/i.test(text)) {
    return new McpLockError('REGISTRY_STATE_EXPIRED', `the signed state of ${registry} has expired: ${text}`, {
      hint:
        'The registry, or a mirror or proxy in front of it, serves frozen metadata, so freshness cannot be checked. ' +
        'Retry later or tell the registry operator; offline `mcp-lock verify` still works from the lock.',
      cause: error,
    });
  }
  const name = (error as Error)?.constructor?.name ?? '';
  if (
    name === 'DownloadHTTPError' ||
    /fetch failed|ECONNREFUSED|ENOTFOUND|aborted|timeout|Failed to download/i.test(text)
  ) {
    return new McpLockError('REGISTRY_UNAVAILABLE', `cannot read the signed state of ${registry}: ${text}`, {
      hint: 'Check the registry URL and your network; nothing was written.',
      cause: error,
    });
  }
  return new McpLockError('REGISTRY_STATE_INVALID', `the signed state of ${registry} does not verify: ${text}`, {
    hint:
      'Someone between you and the registry (a mirror, proxy or compromised front end) may have rewritten or replayed ' +
      'it. Nothing was written; tell the registry operator.',
    cause: error,
  });
}

/** Refresh the registry's signed state from the pinned root (and the project's cache of newer state). */
export async function refreshRegistryState(
  project: string,
  registry: string,
  root: TufRoot,
  lockSeen?: TufSeen,
): Promise<SignedRegistryState> {
  const cache = cacheDir(project, registry);
  const scratch = mkdtempSync(join(tmpdir(), 'mcp-lock-tuf-'));
  try {
    if (existsSync(join(cache, 'root.json'))) {
      for (const f of CACHE_FILES) if (existsSync(join(cache, f))) copyFileSync(join(cache, f), join(scratch, f));
    } else {
      writeFileSync(join(scratch, 'root.json'), JSON.stringify(root));
    }
    const updater = new Updater({
      metadataDir: scratch,
      metadataBaseUrl: tufMetadataUrl(registry),
      config: {
        rootMaxLength: TUF_MAX_BYTES.root,
        timestampMaxLength: TUF_MAX_BYTES.timestamp,
        snapshotMaxLength: TUF_MAX_BYTES.snapshot,
        targetsMaxLength: TUF_MAX_BYTES.targets,
        maxRootRotations: 32,
        maxDelegations: 1,
        fetchTimeout: 30_000,
        fetchRetry: 0,
        userAgent: 'mcp-lock',
      },
    });
    try {
      await updater.refresh();
    } catch (error) {
      throw toStateError(registry, error);
    }
    const seen: TufSeen = {
      timestamp: parseTimestamp(readFileSync(join(scratch, 'timestamp.json'))).signed.version,
      snapshot: parseSnapshot(readFileSync(join(scratch, 'snapshot.json'))).signed.version,
      targets: parseTargets(readFileSync(join(scratch, 'targets.json'))).signed.version,
    };
    // A fresh clone has no cache: the lock remembers the state it was written against.
    for (const role of ['timestamp', 'snapshot', 'targets'] as const) {
      if (lockSeen && seen[role] < lockSeen[role]) {
        throw new McpLockError(
          'REGISTRY_STATE_INVALID',
          `the signed state of ${registry} is older than the one this lock was written against (${role} ${seen[role]} < ${lockSeen[role]})`,
          {
            hint: 'Someone between you and the registry replays old metadata (rollback). Nothing was written.',
            data: { role, found: seen[role], seen: lockSeen[role] },
          },
        );
      }
    }
    mkdirSync(cache, { recursive: true });
    for (const f of readdirSync(scratch)) {
      if (CACHE_FILES.includes(f)) writeFileAtomic(join(cache, f), readFileSync(join(scratch, f)));
    }
    return {
      registry,
      seen,
      async version(name, version) {
        const target = await updater.getTargetInfo(versionTargetPath(name, version));
        if (!target) {
          throw new McpLockError(
            'VERSION_NOT_LISTED',
            `${name}@${version} is not in the signed targets of ${registry}`,
            {
              hint:
                'The registry never published it, or someone between you and the registry hides or invents versions. ' +
                'Pick a version the registry lists.',
            },
          );
        }
        return readVersionTarget(target);
      },
      async server(name) {
        const target = await updater.getTargetInfo(indexTargetPath(name));
        if (!target) {
          throw new McpLockError('VERSION_NOT_LISTED', `${name} is not in the signed targets of ${registry}`, {
            hint: 'Check the name; a server appears in the targets once a version of it is approved.',
          });
        }
        return readServerIndex(target);
      },
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** One refresh of each registry's signed state per run. */
export type SignedStates = Map<string, Promise<SignedRegistryState>>;

/** The signed state of a registry the lock trusts (refreshed once per run); NOT_PINNED without a TUF root. */
export function signedStateOf(
  project: string,
  lock: McpLockFile,
  registry: string,
  states: SignedStates,
): Promise<SignedRegistryState> {
  const root = lock.registries[registry]?.tufRoot;
  if (!root) {
    return Promise.reject(
      new McpLockError('NOT_PINNED', `the lock pins no TUF root for ${registry}, so its signed state cannot be read`, {
        hint: 'Pin it: create the lock again with `mcp-lock init --registry <url>` (or --registry-root <root.json>).',
      }),
    );
  }
  const seen = lock.registries[registry]?.tufSeen;
  if (!states.has(registry)) states.set(registry, refreshRegistryState(project, registry, root, seen));
  return states.get(registry)!;
}
