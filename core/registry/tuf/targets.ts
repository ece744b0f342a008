// What the registry's signed targets say about each server, so that consumers can take status and
// latest from signed metadata only. Per public version, a target whose file is the manifest (length and
// sha256 pin its bytes) and whose custom fields carry the manifest digest, the status with its reason
// and the approval bundle's digest; per server, an index target naming the latest approved version and
// every public version in order. tuf-js verifies all of it; these readers only check the shape.

import { TargetFile } from '@tufjs/models';
import { canonicalJson, type Digest, isDigest, sha256Hex } from '../../canonical/digest.ts';
import { McpLockError } from '../../errors.ts';
import type { VersionRecord } from '../records.ts';
import { PUBLIC_STATUSES, type VersionStatus } from '../status.ts';
import { newestFirst, pickLatest } from '../version-order.ts';

/** The key custom fields live under (a TUF target's `custom` object). */
const CUSTOM_KEY = 'mcpLock';

export const serverTargetPrefix = (name: string) => `servers/${name}/`;
export const versionTargetPath = (name: string, version: string) => `servers/${name}/${version}.json`;
export const indexTargetPath = (name: string) => `servers/${name}/index.json`;

/** The signed facts about one version. */
export interface VersionTargetFacts {
  manifestDigest: Digest;
  status: VersionStatus;
  statusReason: string | null;
  /** `sha256:` of the canonical approval bundle; null when the version was never approved. */
  approvalBundle: Digest | null;
}

/** The signed facts about one server: latest approved version and every public version, oldest first. */
export interface ServerIndexFacts {
  name: string;
  latest: string | null;
  versions: { version: string; status: VersionStatus; statusReason: string | null }[];
}

const blobDigest = (id: string | null): Digest | null => (id === null ? null : `sha256:${id}`);

/** The index of a server's public versions, and its canonical bytes (the index target's file). */
export function serverIndex(
  name: string,
  versions: readonly VersionRecord[],
): { facts: ServerIndexFacts; bytes: Uint8Array } {
  const visible = versions.filter((v) => PUBLIC_STATUSES.includes(v.status));
  const facts: ServerIndexFacts = {
    name,
    latest: pickLatest(visible)?.version ?? null,
    versions: newestFirst(visible)
      .reverse()
      .map((v) => ({ version: v.version, status: v.status, statusReason: v.statusReason })),
  };
  return { facts, bytes: Buffer.from(canonicalJson(facts), 'utf8') };
}

/**
 * The target files of one server. `manifestLength` gives the stored manifest's byte length (its sha256
 * is the blob id). A server without public versions has no targets at all.
 */
export function serverTargetFiles(
  name: string,
  versions: readonly VersionRecord[],
  manifestLength: (record: VersionRecord) => number,
): { files: TargetFile[]; index: Uint8Array | null } {
  const visible = versions.filter((v) => PUBLIC_STATUSES.includes(v.status));
  if (visible.length === 0) return { files: [], index: null };
  const files = visible.map((v) => {
    const facts: VersionTargetFacts = {
      manifestDigest: v.manifestDigest,
      status: v.status,
      statusReason: v.statusReason,
      approvalBundle: blobDigest(v.blobs.approvalBundle),
    };
    return new TargetFile({
      path: versionTargetPath(name, v.version),
      length: manifestLength(v),
      hashes: { sha256: v.blobs.manifest },
      unrecognizedFields: { custom: { [CUSTOM_KEY]: { ...facts } } },
    });
  });
  const index = serverIndex(name, versions);
  files.push(
    new TargetFile({
      path: indexTargetPath(name),
      length: index.bytes.byteLength,
      hashes: { sha256: sha256Hex(index.bytes) },
      unrecognizedFields: { custom: { [CUSTOM_KEY]: { ...index.facts } } },
    }),
  );
  return { files, index: index.bytes };
}

const invalid = (path: string, problem: string) =>
  new McpLockError('REGISTRY_STATE_INVALID', `the signed target ${path} ${problem}`, {
    hint: 'The registry signed metadata mcp-lock cannot read; ask its operator.',
  });

function customOf(target: TargetFile): Record<string, unknown> {
  const value = target.custom?.[CUSTOM_KEY];
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalid(target.path, 'has no mcp-lock fields');
  return value as Record<string, unknown>;
}

const isStatus = (v: unknown): v is VersionStatus =>
  typeof v === 'string' && (PUBLIC_STATUSES as readonly string[]).includes(v);
const isReason = (v: unknown): v is string | null => v === null || (typeof v === 'string' && v.length <= 1000);

/** Read the signed facts of a version target (verified by tuf-js before this is called). */
export function readVersionTarget(target: TargetFile): VersionTargetFacts {
  const c = customOf(target);
  if (!isDigest(c.manifestDigest)) throw invalid(target.path, 'has no manifest digest');
  if (!isStatus(c.status)) throw invalid(target.path, 'has no public status');
  if (!isReason(c.statusReason)) throw invalid(target.path, 'has an unreadable status reason');
  if (c.approvalBundle !== null && !isDigest(c.approvalBundle)) throw invalid(target.path, 'has a bad approval digest');
  return {
    manifestDigest: c.manifestDigest,
    status: c.status,
    statusReason: c.statusReason,
    approvalBundle: c.approvalBundle as Digest | null,
  };
}

/** Read the signed index of a server. */
export function readServerIndex(target: TargetFile): ServerIndexFacts {
  const c = customOf(target);
  if (typeof c.name !== 'string' || (c.latest !== null && typeof c.latest !== 'string') || !Array.isArray(c.versions)) {
    throw invalid(target.path, 'is not a server index');
  }
  const versions = c.versions.slice(0, 10_000).map((v) => {
    const e = v as Record<string, unknown>;
    if (typeof e?.version !== 'string' || !isStatus(e.status) || !isReason(e.statusReason)) {
      throw invalid(target.path, 'lists an unreadable version');
    }
    return { version: e.version, status: e.status, statusReason: e.statusReason };
  });
  return { name: c.name, latest: c.latest as string | null, versions };
}
