// `verify --live` and `verify --online`: the checks that need a running server or the registry.
// Each returns findings; "could not check" (server will not start, registry unreachable) is kept apart
// from "checked and it differs", so CI can tell a flaky network from an attack.

import { type Finding, McpLockError } from '../../core/errors.ts';
import type { McpLockFile } from '../../core/generated/lockfile.ts';
import { introspect } from '../../core/introspect/introspect.ts';
import type { McpRpc } from '../../core/ports.ts';
import { compareSnapshot } from '../../core/surface/compare.ts';
import type { SurfacePins } from '../../core/surface/pin.ts';
import { HttpRpc } from '../mcp/http-rpc.ts';
import { StdioRpc } from '../mcp/stdio-rpc.ts';
import { resolveLockedServer } from '../project/launch.ts';
import { type SandboxedLaunch, sandboxForResolved } from '../sandbox/sandbox.ts';
import { fetchVersion } from './registry.ts';
import { type SignedStates, signedStateOf } from './tuf-state.ts';

export type { SignedStates };

function toFinding(name: string, error: unknown): Finding {
  const err = error instanceof McpLockError ? error : new McpLockError('INTERNAL', String(error));
  return {
    code: err.code,
    path: `$.servers[${JSON.stringify(name)}]`,
    message: `${name}: ${err.message}`,
    severity: 'error',
    ...(err.data ? { data: err.data } : {}),
  };
}

/** Start the pinned server from the store (in its sandbox, as run would), read its whole surface, and compare. */
export async function liveCheck(
  root: string,
  lock: McpLockFile,
  name: string,
  callerEnv: Readonly<Record<string, string | undefined>>,
  client: { name: string; version: string },
  timeoutMs = 60_000,
): Promise<Finding[]> {
  let rpc: McpRpc;
  let sandbox: SandboxedLaunch | undefined;
  try {
    const resolved = resolveLockedServer(root, name, callerEnv);
    sandbox = await sandboxForResolved(root, resolved, callerEnv);
    rpc =
      resolved.launch.kind === 'stdio'
        ? new StdioRpc(sandbox?.launch ?? resolved.launch.launch)
        : new HttpRpc(resolved.launch.url);
  } catch (error) {
    return [toFinding(name, error)];
  }
  try {
    const { snapshot } = await introspect(rpc, { client, limits: { timeoutMs } });
    const entry = lock.servers[name]!;
    const pins: SurfacePins = { ...entry.surface } as SurfacePins;
    return compareSnapshot(pins, snapshot).map((d) => ({
      code: 'DRIFT_DETECTED' as const,
      path: `$.servers[${JSON.stringify(name)}].surface.${d.kind}`,
      message: `${name}: ${d.kind === 'instructions' ? 'instructions' : `${d.kind} "${d.key}"`} ${d.status === 'unpinned' ? 'is not pinned' : d.status === 'missing' ? 'is pinned but no longer listed' : d.status === 'duplicate' ? 'is listed twice' : 'changed'}`,
      severity: 'error' as const,
      data: { kind: d.kind, key: d.key, status: d.status, expected: d.expected ?? null, found: d.found ?? null },
    }));
  } catch (error) {
    return [toFinding(name, error)];
  } finally {
    await rpc.close();
    await sandbox?.close();
  }
}

/**
 * Ask the registry whether a pinned version was yanked, rejected or deprecated since it was pinned: from
 * its signed, fresh TUF state when the lock pins its root (a version missing from the signed targets
 * fails), from its API otherwise.
 */
export async function onlineCheck(
  root: string,
  lock: McpLockFile,
  name: string,
  states: SignedStates = new Map(),
): Promise<Finding[]> {
  const entry = lock.servers[name]!;
  if (entry.source.type !== 'registry') return [];
  const registry = entry.source.registry;
  try {
    let facts: { manifestDigest: string; status: string; statusReason: string | null };
    if (lock.registries[registry]?.tufRoot) {
      facts = await (await signedStateOf(root, lock, registry, states)).version(name, entry.version);
    } else {
      facts = await fetchVersion(registry, name, entry.version);
    }
    const reason = facts.statusReason ? `: ${facts.statusReason}` : '';
    const path = `$.servers[${JSON.stringify(name)}]`;
    if (facts.manifestDigest !== entry.manifest) {
      return [
        {
          code: 'DIGEST_MISMATCH',
          path,
          message: `${name}: the registry now lists another manifest for ${entry.version}`,
          severity: 'error',
          data: { expected: entry.manifest, found: facts.manifestDigest },
        },
      ];
    }
    if (facts.status === 'yanked')
      return [
        { code: 'VERSION_YANKED', path, message: `${name}@${entry.version} was yanked${reason}`, severity: 'error' },
      ];
    if (facts.status === 'rejected')
      return [
        {
          code: 'VERSION_REJECTED',
          path,
          message: `${name}@${entry.version} was rejected${reason}`,
          severity: 'error',
        },
      ];
    if (facts.status === 'deprecated')
      return [
        {
          code: 'VERSION_YANKED',
          path,
          message: `${name}@${entry.version} is deprecated${reason}`,
          severity: 'warning',
        },
      ];
    return [];
  } catch (error) {
    return [toFinding(name, error)];
  }
}
