// Which registry server publishes what a config entry launches: the official server.json of each listed
// version names its npm packages (packages[].identifier, version) and remotes (remotes[].url). One server
// name must match; the version is the one whose package version the config pins exactly, else the
// registry's latest. Pure: the listing is fetched elsewhere.

import type { EntryLaunch } from './launch-spec.ts';
import { sameUrl } from './match.ts';

export interface ListedVersion {
  name: string;
  version: string;
  isLatest: boolean;
  publishedAt: string;
  packages: { registryType: string; identifier: string; version?: string | undefined }[];
  remotes: { url: string }[];
}

export type RegistryMatch =
  | { kind: 'none' }
  | { kind: 'found'; name: string; version: string; note?: string }
  | { kind: 'ambiguous'; names: string[] };

function packageVersion(v: ListedVersion, pkg: string): string | undefined {
  return v.packages.find((p) => p.registryType === 'npm' && p.identifier === pkg)?.version;
}

export function findInRegistry(launch: EntryLaunch, listed: readonly ListedVersion[]): RegistryMatch {
  let candidates: ListedVersion[];
  if (launch.kind === 'npm') {
    candidates = listed.filter((v) => v.packages.some((p) => p.registryType === 'npm' && p.identifier === launch.pkg));
  } else if (launch.kind === 'remote') {
    candidates = listed.filter((v) => v.remotes.some((r) => sameUrl(r.url, launch.url)));
  } else {
    return { kind: 'none' };
  }
  const names = [...new Set(candidates.map((v) => v.name))].sort();
  if (names.length === 0) return { kind: 'none' };
  if (names.length > 1) return { kind: 'ambiguous', names };
  const name = names[0]!;
  if (launch.kind === 'npm' && launch.range !== undefined) {
    const exact = candidates
      .filter((v) => packageVersion(v, launch.pkg) === launch.range)
      .sort((a, b) => (a.publishedAt < b.publishedAt ? 1 : -1))[0];
    if (exact) return { kind: 'found', name, version: exact.version };
  }
  const latest =
    candidates.find((v) => v.isLatest) ?? [...candidates].sort((a, b) => (a.publishedAt < b.publishedAt ? 1 : -1))[0]!;
  const note =
    launch.kind === 'npm' && launch.range !== undefined
      ? `the config asks for ${launch.pkg}@${launch.range}; the registry's latest ${name}@${latest.version} (package ${packageVersion(latest, launch.pkg) ?? '?'}) is pinned instead`
      : undefined;
  return { kind: 'found', name, version: latest.version, ...(note ? { note } : {}) };
}
