// What `outdated` and `rollback` decide from a registry's signed server index (oldest version first):
// the pinned version's signed status, the approved versions after it, and the last approved one before it.

import type { ServerIndexFacts } from '../registry/tuf/targets.ts';

export interface OutdatedReport {
  name: string;
  version: string;
  /** The pinned version's signed status, or `unlisted` when the signed targets do not list it. */
  status: 'approved' | 'deprecated' | 'yanked' | 'rejected' | 'pending' | 'unlisted';
  statusReason: string | null;
  latest: string | null;
  /** Approved versions after the pinned one, oldest first. */
  newer: string[];
}

export function checkOutdated(name: string, version: string, index: ServerIndexFacts): OutdatedReport {
  const at = index.versions.findIndex((v) => v.version === version);
  const pinned = at >= 0 ? index.versions[at]! : undefined;
  return {
    name,
    version,
    status: pinned?.status ?? 'unlisted',
    statusReason: pinned?.statusReason ?? null,
    latest: index.latest,
    newer:
      at < 0
        ? []
        : index.versions
            .slice(at + 1)
            .filter((v) => v.status === 'approved')
            .map((v) => v.version),
  };
}

/** A report that must fail CI: the pinned version is yanked, or the signed state no longer lists it. */
export function isBlocking(report: OutdatedReport): boolean {
  return report.status === 'yanked' || report.status === 'rejected' || report.status === 'unlisted';
}

/** The last approved version before `version` in the signed order, or null. */
export function previousApproved(index: ServerIndexFacts, version: string): string | null {
  const at = index.versions.findIndex((v) => v.version === version);
  const before = at < 0 ? [] : index.versions.slice(0, at);
  return before.filter((v) => v.status === 'approved').at(-1)?.version ?? null;
}
