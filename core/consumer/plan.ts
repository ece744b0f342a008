// The lock rules of add, update and remove, pure: plan the next lock from the current one, and say what
// the change leaves unused (orphans), so the commands only translate flags, apply and print. Nothing
// here mutates the lock it is given.

import { McpLockError } from '../errors.ts';
import type { LockedServer, McpLockFile, TufSeen } from '../generated/lockfile.ts';
import { getEntry } from '../lockfile/lockfile.ts';
import { isLocalPackage, localTarballPath } from '../manifest/check-tree.ts';

export interface PinRequest {
  name: string;
  /** Digest and version of the manifest to pin. */
  manifest: string;
  version: string;
  /** Trust on first use (unsigned) rather than from a registry. */
  tofu: boolean;
}

/**
 * Whether `add` may pin this: an unsigned pin never replaces a registry pin, and a name already pinned at
 * another manifest moves with `update` (which shows the diff), not `add`. Throws CONFLICT.
 */
export function assertAddable(lock: McpLockFile, request: PinRequest): void {
  const pinned = lock.servers[request.name];
  if (!pinned) return;
  if (request.tofu && pinned.source.type === 'registry') {
    throw new McpLockError(
      'CONFLICT',
      `${request.name} is pinned from a registry; refusing to replace it with an unsigned pin`,
      {
        hint: 'Remove it first with `mcp-lock remove` if that is really what you want.',
      },
    );
  }
  if (pinned.manifest !== request.manifest) {
    throw new McpLockError('CONFLICT', `${request.name} is already pinned at ${pinned.version}`, {
      hint: `Use \`mcp-lock update ${request.name}@${request.version}\` to see what changes and move the pin.`,
    });
  }
}

/** What a lock change leaves unused: stored material no entry refers to any more, and a store directory. */
export interface Orphans {
  /** A manifest digest whose manifest and bundles no entry uses any more (null: still used, or none). */
  manifest: string | null;
  /** The installed tree of `name` at `digest`, no longer pinned (null: none). */
  store: { name: string; digest: string } | null;
  /** A local package's stored tarball (project-relative path) no entry pins any more. */
  localTarball?: string;
}

function orphansOf(next: McpLockFile, name: string, previous: LockedServer | undefined): Orphans {
  if (!previous) return { manifest: null, store: null };
  const current = next.servers[name];
  if (current?.manifest === previous.manifest) return { manifest: null, store: null };
  const stillUsed = Object.values(next.servers).some((e) => e.manifest === previous.manifest);
  const orphans: Orphans = {
    manifest: stillUsed ? null : previous.manifest,
    store: { name, digest: previous.manifest },
  };
  const local = previous.package && isLocalPackage(previous.package) ? previous.package : undefined;
  if (local && !Object.values(next.servers).some((e) => e.package?.resolved === local.resolved))
    orphans.localTarball = localTarballPath(local.integrity);
  return orphans;
}

/** The lock with `entry` pinned as `name` (and the registry state it was verified against), and what it replaces. */
export function planPin(
  lock: McpLockFile,
  name: string,
  entry: LockedServer,
  registryState?: { registry: string; seen: TufSeen },
): { lock: McpLockFile; orphans: Orphans } {
  const next: McpLockFile = { ...lock, servers: { ...lock.servers, [name]: entry } };
  const trusted = registryState ? lock.registries[registryState.registry] : undefined;
  if (registryState && trusted) {
    next.registries = { ...lock.registries, [registryState.registry]: { ...trusted, tufSeen: registryState.seen } };
  }
  return { lock: next, orphans: orphansOf(next, name, lock.servers[name]) };
}

/** The lock without `name`, and what only it used. Throws NOT_FOUND (with the pinned names) when absent. */
export function planRemove(lock: McpLockFile, name: string): { lock: McpLockFile; orphans: Orphans } {
  const previous = getEntry(lock, name);
  const { [name]: _removed, ...servers } = lock.servers;
  const next: McpLockFile = { ...lock, servers };
  return { lock: next, orphans: orphansOf(next, name, previous) };
}
