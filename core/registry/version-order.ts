// Which version of a server is "latest": semver precedence where versions parse as semver, a semver
// version beating a non-semver one, and publication time otherwise (the official aggregator rules).
// Only approved versions compete; deprecated ones only when nothing approved is left.

import type { VersionStatus } from './status.ts';

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

interface Semver {
  core: [bigint, bigint, bigint];
  pre: string[];
}

export function parseSemver(version: string): Semver | null {
  const m = SEMVER.exec(version);
  if (!m) return null;
  return { core: [BigInt(m[1]!), BigInt(m[2]!), BigInt(m[3]!)], pre: m[4] ? m[4].split('.') : [] };
}

function compareIdentifiers(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (an) return -1;
  if (bn) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Semver precedence: negative, zero or positive. Build metadata is ignored. */
export function compareSemver(a: Semver, b: Semver): number {
  for (let i = 0; i < 3; i++) {
    if (a.core[i]! !== b.core[i]!) return a.core[i]! < b.core[i]! ? -1 : 1;
  }
  if (a.pre.length === 0 || b.pre.length === 0) return b.pre.length - a.pre.length;
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const c = compareIdentifiers(x, y);
    if (c !== 0) return c;
  }
  return 0;
}

export interface Rankable {
  version: string;
  publishedAt: string;
  status: VersionStatus;
}

/** Order two versions of one server: positive when `a` is newer. */
export function compareVersions(a: Rankable, b: Rankable): number {
  const sa = parseSemver(a.version);
  const sb = parseSemver(b.version);
  if (sa && sb) {
    const c = compareSemver(sa, sb);
    if (c !== 0) return c;
  } else if (sa) {
    return 1;
  } else if (sb) {
    return -1;
  }
  if (a.publishedAt !== b.publishedAt) return a.publishedAt < b.publishedAt ? -1 : 1;
  return a.version < b.version ? -1 : a.version > b.version ? 1 : 0;
}

/** The latest version among a server's versions, or null when none is approved or deprecated. */
export function pickLatest<T extends Rankable>(versions: readonly T[]): T | null {
  const approved = versions.filter((v) => v.status === 'approved');
  const pool = approved.length > 0 ? approved : versions.filter((v) => v.status === 'deprecated');
  let best: T | null = null;
  for (const v of pool) if (best === null || compareVersions(v, best) > 0) best = v;
  return best;
}

/** Versions newest first (the order of the official versions listing). */
export function newestFirst<T extends Rankable>(versions: readonly T[]): T[] {
  return [...versions].sort((a, b) => compareVersions(b, a));
}
