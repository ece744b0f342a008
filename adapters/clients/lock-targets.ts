// What a config entry can be matched against: every lock entry with its package or remote URL, and (from
// its stored manifest) the arguments and environment variable names `mcp-lock run` will start it with,
// so wrap and import can say what changes. A manifest that cannot be read leaves those unknown; `run`
// verifies everything again at connect time.

import type { LockedTarget } from '../../core/clients/match.ts';
import type { McpLockFile } from '../../core/generated/lockfile.ts';
import { planArguments } from '../../core/launch/launch-plan.ts';
import { treeRulesOf } from '../../core/lockfile/lockfile.ts';
import { packagePath } from '../package-root.ts';
import { loadManifest } from '../project/project.ts';

export function lockTargets(root: string, lock: McpLockFile): LockedTarget[] {
  const rules = treeRulesOf(lock);
  return Object.entries(lock.servers).map(([name, entry]) => {
    let pinnedArgs: string[] | null = null;
    let envNames: string[] | null = null;
    if (entry.package) {
      try {
        const manifest = loadManifest(root, entry.manifest, rules);
        const pkg = manifest.server.packages?.find(
          (p) => p.registryType === 'npm' && p.identifier === entry.package!.identifier,
        );
        if (pkg) {
          envNames = (pkg.environmentVariables ?? []).map((v) => v.name);
          pinnedArgs = planArguments(pkg.packageArguments);
        }
      } catch {
        // Unknown; `run` refuses a server whose manifest is missing or damaged anyway.
      }
    }
    return {
      name,
      version: entry.version,
      source: entry.source.type,
      ...(entry.package ? { packageIdentifier: entry.package.identifier } : {}),
      ...(entry.remote ? { remoteUrl: entry.remote.url } : {}),
      pinnedArgs,
      envNames,
    };
  });
}

/** This installation's launcher script (for `wrap --launcher absolute`). */
export const MCP_LOCK_BIN = packagePath('bin', 'mcp-lock.js');
