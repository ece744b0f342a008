// The lint over pinned servers with a findings cache (verify runs it on every CI build, and the pinned
// definitions rarely change). The cache is a port: this file only decides what a key is made of, so that
// an entry can be reused only for exactly the input it was computed from.
//
//   one server's surface   key = (rules id, limits, server name, manifest digest)
//   cross-server shadowing key = (rules id, every [server name, manifest digest] in order)
//
// A manifest digest names the whole surface (it is content-addressed and verify has checked the stored
// manifest hashes to it), and the findings of an item depend on its siblings, so the unit is a server,
// never an item. The rules id names the lint code itself (the adapter derives it from the code), so a
// changed rule never meets an old entry. What makes an entry trustworthy is the adapter's business.

import { type Digest, sha256Hex } from '../canonical/digest.ts';
import { compareFindings } from './order.ts';
import { type ScanOptions, scanSurface } from './scan.ts';
import { DEFAULT_SCAN_LIMITS } from './scan-item.ts';
import { detectShadowing } from './shadowing.ts';
import type { ScanFinding, ScanSurface } from './types.ts';

export interface LintCache {
  /** Identifies the lint code (rules, limits' defaults, engine): part of every key. */
  readonly rulesId: string;
  /** The findings stored under `key`, or undefined when there are none or they cannot be trusted. */
  get(key: string): ScanFinding[] | undefined;
  set(key: string, findings: readonly ScanFinding[]): void;
}

export interface PinnedSurface {
  server: string;
  /** The digest of the manifest the surface comes from (verified by the caller). */
  manifest: Digest;
  surface: ScanSurface;
}

export interface CacheStats {
  hits: number;
  misses: number;
}

const keyOf = (parts: readonly unknown[]) => sha256Hex(JSON.stringify(parts));

/** scanServers over pinned surfaces, reusing findings the cache holds for the same input. */
export function scanPinnedServers(
  servers: readonly PinnedSurface[],
  cache: LintCache,
  options: ScanOptions = {},
  stats: CacheStats = { hits: 0, misses: 0 },
): ScanFinding[] {
  const limits = { ...DEFAULT_SCAN_LIMITS, ...options.limits };
  const cached = (key: string, compute: () => ScanFinding[]): ScanFinding[] => {
    const hit = cache.get(key);
    if (hit) {
      stats.hits++;
      return hit;
    }
    stats.misses++;
    const found = compute();
    cache.set(key, found);
    return found;
  };
  const findings = servers.flatMap((s) =>
    cached(keyOf(['server', cache.rulesId, limits, s.server, s.manifest]), () =>
      scanSurface(s.server, s.surface, options),
    ),
  );
  const shadowKey = keyOf(['shadowing', cache.rulesId, servers.map((s) => [s.server, s.manifest])]);
  findings.push(
    ...cached(shadowKey, () => detectShadowing(servers.map((s) => ({ name: s.server, tools: s.surface.tools ?? [] })))),
  );
  return findings.sort(compareFindings);
}
