// Everything `mcp-lock run` needs from the project before it starts a server: the server verified offline
// and resolved to a launch (resolveLockedServer), its pinned surface, and the pinned tool definitions of
// every other server in the same lock (from their stored manifests) for cross-server shadowing, with the
// lock's accepted findings (suppressions).

import type { Finding } from '../../core/errors.ts';
import { type PinnedSurface, pinnedSurface } from '../../core/guard/pinned-surface.ts';
import { type ServerTools, type ShadowingContext, shadowingContext } from '../../core/guard/shadowing.ts';
import type { JsonObject } from '../../core/json/strict-json.ts';
import { serverNames } from '../../core/lockfile/lockfile.ts';
import { type ResolvedServer, resolveLockedServer } from '../project/launch.ts';
import { loadManifest, readLock } from '../project/project.ts';

export interface LockedContext {
  resolved: ResolvedServer;
  surface: PinnedSurface;
  others: ServerTools[];
  shadowing: ShadowingContext;
  /** Other servers whose manifests could not be read (their tools are not checked for shadowing). */
  unreadable: Finding[];
}

export function lockedContext(
  root: string,
  name: string,
  callerEnv: Readonly<Record<string, string | undefined>>,
  options: { allowShadowing?: boolean } = {},
): LockedContext {
  const resolved = resolveLockedServer(root, name, callerEnv);
  const lock = readLock(root);
  const others: ServerTools[] = [];
  const unreadable: Finding[] = [];
  for (const other of serverNames(lock)) {
    if (other === name) continue;
    try {
      const manifest = loadManifest(root, lock.servers[other]!.manifest);
      others.push({ name: other, tools: manifest.surface.tools.map((t) => t.definition as JsonObject) });
    } catch (error) {
      unreadable.push({
        code: 'LOCK_INVALID',
        path: `$.servers[${JSON.stringify(other)}]`,
        message: error instanceof Error ? error.message : String(error),
        severity: 'warning',
      });
    }
  }
  const surface = pinnedSurface(resolved.manifest.surface);
  const self: ServerTools = { name, tools: [...surface.definitions.tools.values()] };
  return {
    resolved,
    surface,
    others,
    shadowing: shadowingContext(self, others, {
      allow: options.allowShadowing ?? false,
      suppressions: lock.suppressions ?? [],
    }),
    unreadable,
  };
}
