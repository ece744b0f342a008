// mcp-lock.json: reading it strictly, writing it deterministically, making an entry from a verified
// manifest, and checking an entry against the manifest it pins (a hand-edited lock is tampering).

import { canonicalDigest } from '../canonical/digest.ts';
import { formatDeterministicJson } from '../canonical/pretty.ts';
import { type Finding, McpLockError } from '../errors.ts';
import type { LockedPackage, LockedServer, McpLockFile, Signer, Source } from '../generated/lockfile.ts';
import type { McpLockManifest } from '../generated/manifest.ts';
import { parseStrictJson } from '../json/strict-json.ts';
import { DEFAULT_TREE_RULES, type TreeRules } from '../manifest/check-tree.ts';
import { manifestDigest } from '../manifest/manifest.ts';
import { assertLockSchema, LOCK_SCHEMA_ID } from '../schema/validate.ts';
import { SURFACE_KINDS, surfacePins } from '../surface/pin.ts';

export type { LockedServer, McpLockFile, Signer, Source } from '../generated/lockfile.ts';

export const LOCK_FILE = 'mcp-lock.json';
export const LOCK_LIMITS = { maxBytes: 64 * 1024 * 1024, maxDepth: 16 };

export function emptyLock(): McpLockFile {
  return { $schema: LOCK_SCHEMA_ID as McpLockFile['$schema'], lockfileVersion: 1, registries: {}, servers: {} };
}

/** Parse mcp-lock.json strictly: I-JSON, then the schema. */
export function parseLock(bytes: string | Uint8Array): McpLockFile {
  const value = parseStrictJson(bytes, LOCK_FILE, LOCK_LIMITS);
  assertLockSchema(value);
  return value;
}

/** Sorted keys, two spaces, trailing newline: the same lock always has the same bytes. */
export function formatLock(lock: McpLockFile): string {
  return formatDeterministicJson(lock);
}

export interface EntryProvenance {
  source: Source;
  signer: Signer | null;
  approval: LockedServer['approval'];
  /** Digest of the installed files (see LockedPackage.files); required when the manifest has a package. */
  files?: string;
  /** Variables passed through from the caller that the manifest does not declare (LockedServer.passEnv). */
  passEnv?: readonly string[];
}

/** The lock entry pinning a manifest. Pure: every value comes from the manifest or the provenance. */
export function entryFromManifest(manifest: McpLockManifest, provenance: EntryProvenance): LockedServer {
  const pins = surfacePins(manifest.surface);
  const entry: LockedServer = {
    source: provenance.source,
    version: manifest.server.version,
    manifest: manifestDigest(manifest),
    signer: provenance.signer,
    approval: provenance.approval,
    surface: {
      protocolVersion: pins.protocolVersion,
      coverage: pins.coverage,
      instructions: pins.instructions,
      tools: pins.tools,
      prompts: pins.prompts,
      resources: pins.resources,
      resourceTemplates: pins.resourceTemplates,
    },
  };
  if (manifest.surface.dynamicResources) entry.surface.dynamicResources = true;
  if (provenance.signer === null) entry.unsigned = true;
  if (manifest.permissions) entry.permissions = manifest.permissions;
  if (provenance.passEnv?.length) entry.passEnv = [...new Set(provenance.passEnv)].sort();
  const pkg = manifest.package;
  if (pkg) {
    if (!provenance.files)
      throw new McpLockError('INTERNAL', 'a package entry needs the digest of its installed files');
    const locked: LockedPackage = {
      identifier: pkg.identifier,
      version: pkg.version,
      resolved: pkg.resolved,
      integrity: pkg.integrity,
      tree: pkg.treeDigest,
      nodes: pkg.tree.length,
      files: provenance.files,
    };
    entry.package = locked;
  }
  const remote = manifest.server.remotes?.[0];
  if (!pkg && remote) entry.remote = { type: remote.type, url: remote.url };
  return entry;
}

/**
 * Findings where a lock entry says something its manifest does not: any hand edit of a digest, an
 * integrity, a version or a surface pin. (Signer and approval are checked against the bundles.)
 */
export function checkEntryAgainstManifest(name: string, entry: LockedServer, manifest: McpLockManifest): Finding[] {
  const findings: Finding[] = [];
  const path = `$.servers[${JSON.stringify(name)}]`;
  const add = (field: string, message: string, data?: Record<string, unknown>) =>
    findings.push({
      code: 'LOCK_TAMPERED',
      path: `${path}.${field}`,
      message: `${name}: ${message}`,
      severity: 'error',
      ...(data ? { data } : {}),
    });
  if (manifest.server.name !== name) add('manifest', `the manifest is for ${manifest.server.name}`);
  const expected = entryFromManifest(manifest, {
    source: entry.source,
    signer: entry.signer,
    approval: entry.approval,
    ...(entry.package ? { files: entry.package.files } : {}),
  });
  if (entry.manifest !== expected.manifest)
    add('manifest', 'manifest digest differs', { expected: expected.manifest, found: entry.manifest });
  if (entry.version !== expected.version)
    add('version', 'version differs from the manifest', { expected: expected.version, found: entry.version });
  if (Boolean(entry.unsigned) !== Boolean(expected.unsigned))
    add('unsigned', 'unsigned flag does not match the signer');
  if (canonicalDigest(entry.package ?? null) !== canonicalDigest(expected.package ?? null)) {
    add('package', 'package (version, resolved, integrity or tree) differs from the manifest', {
      expected: expected.package ?? null,
      found: entry.package ?? null,
    });
  }
  if (canonicalDigest(entry.remote ?? null) !== canonicalDigest(expected.remote ?? null))
    add('remote', 'remote differs from the manifest');
  if (canonicalDigest(entry.permissions ?? null) !== canonicalDigest(expected.permissions ?? null))
    add('permissions', 'permissions differ from the manifest', {
      expected: expected.permissions ?? null,
      found: entry.permissions ?? null,
    });
  const s = entry.surface;
  const e = expected.surface;
  if (s.protocolVersion !== e.protocolVersion)
    add('surface.protocolVersion', 'protocol version differs from the manifest');
  if (canonicalDigest(s.coverage) !== canonicalDigest(e.coverage))
    add('surface.coverage', 'coverage differs from the manifest');
  if (s.instructions !== e.instructions) add('surface.instructions', 'instructions digest differs from the manifest');
  if (Boolean(s.dynamicResources) !== Boolean(e.dynamicResources))
    add(
      'surface.dynamicResources',
      'dynamicResources (resources added at run time are hidden) differs from the manifest',
    );
  for (const kind of SURFACE_KINDS) {
    if (canonicalDigest(s[kind]) !== canonicalDigest(e[kind])) {
      const changed = [...new Set([...Object.keys(s[kind]), ...Object.keys(e[kind])])].filter(
        (k) => s[kind][k] !== e[kind][k],
      );
      add(`surface.${kind}`, `${kind} pins differ from the manifest (${changed.slice(0, 5).join(', ')})`, {
        keys: changed,
      });
    }
  }
  return findings;
}

/** The npm registries a lock lets pinned trees resolve to. */
export function treeRulesOf(lock: McpLockFile): TreeRules {
  return {
    registries: lock.npmRegistries?.length ? lock.npmRegistries : DEFAULT_TREE_RULES.registries,
    // A TOFU pin of a local package; verify-entry refuses one whose entry is not TOFU.
    allowLocalRoot: true,
  };
}

/** Names of servers, sorted (UTF-16 order, like the file). */
export function serverNames(lock: McpLockFile): string[] {
  return Object.keys(lock.servers).sort();
}

/** Find a lock entry or throw NOT_FOUND with a hint listing what is pinned. */
export function getEntry(lock: McpLockFile, name: string): LockedServer {
  if (!Object.hasOwn(lock.servers, name)) {
    const names = serverNames(lock);
    throw new McpLockError('NOT_FOUND', `${name} is not in ${LOCK_FILE}`, {
      hint: names.length ? `Pinned servers: ${names.slice(0, 10).join(', ')}` : 'Add one with `mcp-lock add <name>`.',
    });
  }
  return lock.servers[name]!;
}
