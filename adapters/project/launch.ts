// How a pinned server is started from the project-local store: verified first (signatures, pins,
// installed files), then launched with the executable and arguments its manifest declares. Never npx,
// never a re-resolve, never a shell.

import { existsSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { McpLockError } from '../../core/errors.ts';
import type { LockedServer } from '../../core/generated/lockfile.ts';
import type { McpLockManifest } from '../../core/generated/manifest.ts';
import { planLaunch } from '../../core/launch/launch-plan.ts';
import { getEntry } from '../../core/lockfile/lockfile.ts';
import type { StdioLaunch } from '../mcp/stdio-rpc.ts';
import { readLock, storeDir } from './project.ts';
import { assertLockedServer, checkLockedServer, type EntryCheckOptions } from './verify-entry.ts';

export type LockedLaunch =
  | { kind: 'stdio'; launch: StdioLaunch; secretNames: string[] }
  | { kind: 'http'; url: string };

export interface ResolvedServer {
  name: string;
  entry: LockedServer;
  manifest: McpLockManifest;
  launch: LockedLaunch;
}

/**
 * Verify a pinned server offline and work out how to start it. Throws the first verification failure;
 * LOCK_MISSING / NOT_FOUND when it is not pinned; INSTALL_FAILED when it is not installed yet.
 */
export function resolveLockedServer(
  root: string,
  name: string,
  callerEnv: Readonly<Record<string, string | undefined>>,
  options: EntryCheckOptions = { checkInstalled: true, useFilesIndex: true },
): ResolvedServer {
  const lock = readLock(root);
  const entry = getEntry(lock, name);
  const report = checkLockedServer(root, lock, name, options);
  if (report.installed === 'missing') {
    throw new McpLockError('INSTALL_FAILED', `${name} is pinned but not installed`, {
      hint: 'Run `mcp-lock install` first.',
    });
  }
  const manifest = assertLockedServer(report);
  const pkg = manifest.package;
  if (!pkg) {
    const remote = manifest.server.remotes?.[0];
    if (!remote) throw new McpLockError('CONFIG_INVALID', `${name} has neither a package nor a remote`);
    return { name, entry, manifest, launch: { kind: 'http', url: remote.url } };
  }
  const npmEntry = (manifest.server.packages ?? []).find(
    (p) => p.registryType === 'npm' && p.identifier === pkg.identifier,
  );
  if (!npmEntry) throw new McpLockError('CONFIG_INVALID', `${name}: the manifest has no npm package entry`);
  const installDir = storeDir(root, name, entry.manifest);
  const packageDir = join(installDir, 'node_modules', pkg.identifier);
  const binPath = resolve(packageDir, pkg.bin.path);
  if (!binPath.startsWith(packageDir + sep) || relative(packageDir, binPath).startsWith('..')) {
    throw new McpLockError('TREE_INVALID', `${name}: the executable path leaves the package`);
  }
  if (!existsSync(binPath)) {
    throw new McpLockError('INSTALL_FAILED', `${name}: ${pkg.bin.path} is missing from the installed package`, {
      hint: 'Run `mcp-lock install` again.',
    });
  }
  const plan = planLaunch(npmEntry, { callerEnv });
  return {
    name,
    entry,
    manifest,
    launch: {
      kind: 'stdio',
      launch: { command: process.execPath, args: [binPath, ...plan.args], env: plan.env, cwd: installDir },
      secretNames: plan.secretNames,
    },
  };
}
