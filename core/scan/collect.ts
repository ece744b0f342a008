// Which surfaces a scan target stands for, and how to get them: a lock's pinned manifests, or every
// server of a client config (pinned ones from their lock, npm and remote ones by introspection). The
// I/O is behind ScanSources (the CLI passes file reads and the manifest generator); the decisions
// (what is scanned, what is reported as not scanned and why, which suppressions apply) live here.

import { isMcpLockError } from '../errors.ts';
import type { McpLockFile } from '../generated/lockfile.ts';
import type { McpLockManifest } from '../generated/manifest.ts';
import type { JsonValue } from '../json/strict-json.ts';
import { manifestSurface, type ServerSurface } from './scan.ts';
import { clientConfigServers } from './targets.ts';
import type { NotScanned, Suppression } from './types.ts';

export interface ScanSources {
  /** The lock in a project directory (throws when missing or invalid). */
  lock(projectDir: string): McpLockFile;
  /** A pinned manifest stored beside a lock, checked against its digest. */
  manifest(projectDir: string, digest: string): McpLockManifest;
  /** Introspect an npm package server; null when introspection is switched off (--offline). */
  npm: ((spec: string, args: string[], env: Record<string, string>) => Promise<McpLockManifest>) | null;
  /** Introspect a remote server; null when switched off. */
  remote: ((url: string) => Promise<McpLockManifest>) | null;
  /** A project directory named in a config, resolved against the config's directory. */
  resolveProject(configDir: string, project: string | null): string;
  onProgress?: (message: string) => void;
}

export interface Collected {
  servers: ServerSurface[];
  notScanned: NotScanned[];
  /** Suppressions recorded in the locks the surfaces came from. */
  suppressions: Suppression[];
  /** Where each scanned server's definitions were read from (a manifest file, the config), for SARIF. */
  origins: Map<string, { project?: string; digest?: string }>;
}

const reasonOf = (error: unknown) =>
  isMcpLockError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);

/** Every server a lock pins, with its surface from the stored manifest. */
export function collectLock(projectDir: string, sources: ScanSources): Collected {
  const lock = sources.lock(projectDir);
  const servers: ServerSurface[] = [];
  const origins = new Map<string, { project?: string; digest?: string }>();
  for (const name of Object.keys(lock.servers).sort()) {
    const entry = lock.servers[name]!;
    const manifest = sources.manifest(projectDir, entry.manifest);
    servers.push({ server: name, surface: manifestSurface(manifest) });
    origins.set(name, { project: projectDir, digest: entry.manifest });
  }
  return { servers, notScanned: [], suppressions: [...(lock.suppressions ?? [])], origins };
}

/** Every server of a client config; what cannot be read is reported as not scanned, with the reason. */
export async function collectClientConfig(
  doc: JsonValue,
  configDir: string,
  lockProject: string | null,
  sources: ScanSources,
): Promise<Collected> {
  const servers: ServerSurface[] = [];
  const notScanned: NotScanned[] = [];
  const suppressions: Suppression[] = [];
  const origins = new Map<string, { project?: string; digest?: string }>();
  const locks = new Map<string, McpLockFile | Error>();
  const seenSuppressions = new Set<string>();
  for (const entry of clientConfigServers(doc)) {
    const launch = entry.launch;
    try {
      if (launch.kind === 'mcp-lock-run') {
        const project = lockProject ?? sources.resolveProject(configDir, launch.project);
        let lock = locks.get(project);
        if (!lock) {
          try {
            lock = sources.lock(project);
          } catch (error) {
            lock = error instanceof Error ? error : new Error(String(error));
          }
          locks.set(project, lock);
          if (!(lock instanceof Error) && !seenSuppressions.has(project)) {
            seenSuppressions.add(project);
            suppressions.push(...(lock.suppressions ?? []));
          }
        }
        if (lock instanceof Error) throw lock;
        const pinned = lock.servers[launch.server];
        if (!pinned) {
          notScanned.push({ server: entry.name, reason: `"${launch.server}" is not pinned in the lock of ${project}` });
          continue;
        }
        const manifest = sources.manifest(project, pinned.manifest);
        servers.push({ server: launch.server, surface: manifestSurface(manifest) });
        origins.set(launch.server, { project, digest: pinned.manifest });
      } else if (launch.kind === 'npm') {
        if (!sources.npm) {
          notScanned.push({ server: entry.name, reason: `npm package ${launch.spec} is not introspected offline` });
          continue;
        }
        sources.onProgress?.(`Introspecting ${entry.name} (${launch.spec}) …`);
        const manifest = await sources.npm(launch.spec, launch.args, entry.env);
        servers.push({ server: entry.name, surface: manifestSurface(manifest) });
        origins.set(entry.name, {});
      } else if (launch.kind === 'remote') {
        if (!sources.remote) {
          notScanned.push({ server: entry.name, reason: `remote server ${launch.url} is not introspected offline` });
          continue;
        }
        sources.onProgress?.(`Introspecting ${entry.name} (${launch.url}) …`);
        const manifest = await sources.remote(launch.url);
        servers.push({ server: entry.name, surface: manifestSurface(manifest) });
        origins.set(entry.name, {});
      } else {
        notScanned.push({ server: entry.name, reason: launch.reason });
      }
    } catch (error) {
      // A pinned manifest that does not match its digest is tampering, not an unreadable server: fail.
      if (isMcpLockError(error) && error.category === 'verification') throw error;
      notScanned.push({ server: entry.name, reason: reasonOf(error) });
    }
  }
  return { servers, notScanned, suppressions, origins };
}
