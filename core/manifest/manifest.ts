// The manifest: one signed JSON document per server version. This module builds it, reads it strictly,
// and checks that it is self-consistent (every recorded digest is the digest of what it records).

import { canonicalSha256Hex, type Digest } from '../canonical/digest.ts';
import { formatDeterministicJson } from '../canonical/pretty.ts';
import { type Finding, McpLockError } from '../errors.ts';
import type {
  McpLockManifest,
  NpmArtifact,
  Permissions,
  Readme,
  ServerDetail,
  Surface,
} from '../generated/manifest.ts';
import { type JsonLimits, parseStrictJson } from '../json/strict-json.ts';
import { checkPermissions } from '../permissions/permissions.ts';
import { assertManifestSchema, type Checked, checkedManifest, MANIFEST_SCHEMA_ID } from '../schema/validate.ts';
import { instructionsDigest, pinItems, SURFACE_KINDS } from '../surface/pin.ts';
import { checkTree, DEFAULT_TREE_RULES, type TreeRules, treeDigest } from './check-tree.ts';

export type { McpLockManifest } from '../generated/manifest.ts';

/** Official server.json schema URL the `server` part declares. */
export const SERVER_JSON_SCHEMA = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';

/** Size and nesting caps for a manifest document. */
export const MANIFEST_LIMITS: JsonLimits = { maxBytes: 32 * 1024 * 1024, maxDepth: 96 };

export interface ManifestParts {
  server: ServerDetail;
  package?: NpmArtifact;
  surface: Surface;
  generator?: string;
  /** What the server may reach when run (local packages only); absent: not sandboxed. */
  permissions?: Permissions;
  /** The long description (the package's README), Markdown. */
  readme?: Readme;
}

/**
 * Which npm registries a manifest's tree may resolve to: explicit rules, or `'declared'` — the default
 * registry plus the one the manifest's own npm entry declares (for publisher-side tools that sign or
 * verify what they are given; consumers always pass the registries their lock trusts).
 */
export type ManifestTreeRules = TreeRules | 'declared';

function resolveRules(manifest: McpLockManifest, rules: ManifestTreeRules): TreeRules {
  if (rules !== 'declared') return rules;
  const declared = (manifest.server?.packages ?? []).flatMap((p) =>
    p.registryType === 'npm' && p.registryBaseUrl ? [p.registryBaseUrl] : [],
  );
  return { registries: [...DEFAULT_TREE_RULES.registries, ...declared] };
}

export function buildManifest(parts: ManifestParts, rules: ManifestTreeRules = 'declared'): McpLockManifest {
  const manifest: McpLockManifest = {
    $schema: MANIFEST_SCHEMA_ID as McpLockManifest['$schema'],
    manifestVersion: 1,
    ...(parts.generator ? { generator: parts.generator } : {}),
    server: parts.server,
    ...(parts.package ? { package: parts.package } : {}),
    surface: parts.surface,
    ...(parts.permissions ? { permissions: parts.permissions } : {}),
    ...(parts.readme ? { readme: parts.readme } : {}),
  };
  verifyManifest(manifest, rules);
  return manifest;
}

// Manifests are immutable once built or parsed, so the digest of one object is computed once: verify
// needs it for the lock entry, the stored file name and both signatures.
const digests = new WeakMap<McpLockManifest, string>();

export function manifestSha256Hex(manifest: McpLockManifest): string {
  let hex = digests.get(manifest);
  if (hex === undefined) {
    hex = canonicalSha256Hex(manifest);
    digests.set(manifest, hex);
  }
  return hex;
}

/** The digest a signature binds: sha256 of the canonical manifest. */
export function manifestDigest(manifest: McpLockManifest): Digest {
  return `sha256:${manifestSha256Hex(manifest)}`;
}

/** Read a manifest from bytes: strict JSON, schema, then consistency. Throws on the first problem. */
export function parseManifest(
  bytes: string | Uint8Array,
  rules: ManifestTreeRules = DEFAULT_TREE_RULES,
): McpLockManifest {
  const value = parseStrictJson(bytes, 'manifest', MANIFEST_LIMITS);
  assertManifestSchema(value);
  verifyManifest(value, rules);
  return value;
}

/**
 * A parsed value as a manifest: the schema, then every semantic problem. Typed when nothing is wrong,
 * else the findings (schema findings alone when the shape is wrong).
 */
export function checkManifestValue(
  value: unknown,
  rules: ManifestTreeRules = DEFAULT_TREE_RULES,
): Checked<McpLockManifest> {
  const shaped = checkedManifest(value);
  if (shaped.value === null) return shaped;
  const findings = consistencyFindings(shaped.value, rules);
  return findings.length > 0 ? { value: null, findings } : shaped;
}

/** Every problem of a manifest (schema, then semantics), as findings. */
export function checkManifest(manifest: McpLockManifest, rules: ManifestTreeRules = DEFAULT_TREE_RULES): Finding[] {
  return checkManifestValue(manifest, rules).findings;
}

/**
 * A manifest read back from storage that already verified it (the registry's blobs, by digest): strict
 * JSON and the schema. Tree rules were checked when it was accepted, under that registry's policy.
 */
export function parseStoredManifest(bytes: Uint8Array, what: string): McpLockManifest {
  const checked = checkedManifest(parseStrictJson(bytes, what, MANIFEST_LIMITS));
  if (checked.value === null) {
    const first = checked.findings[0]!;
    throw new McpLockError(
      'STORAGE_ERROR',
      `${what} does not match the manifest schema: ${first.path} ${first.message}`,
      {
        hint: 'The store holds a manifest this version of mcp-lock cannot read; restore it from a backup.',
        data: { findings: checked.findings },
      },
    );
  }
  return checked.value;
}

function consistencyFindings(manifest: McpLockManifest, rules: ManifestTreeRules): Finding[] {
  const findings: Finding[] = [];
  const add = (path: string, message: string, code: Finding['code'] = 'MANIFEST_INVALID') =>
    findings.push({ code, path, message, severity: 'error' });

  const { surface } = manifest;
  for (const kind of SURFACE_KINDS) {
    let repinned: ReturnType<typeof pinItems>;
    try {
      repinned = pinItems(
        kind,
        surface[kind].map((i) => i.definition as never),
      );
    } catch (error) {
      add(`$.surface.${kind}`, error instanceof Error ? error.message : String(error));
      continue;
    }
    surface[kind].forEach((item, i) => {
      const expected = repinned[i];
      if (!expected || expected.key !== item.key) {
        add(`$.surface.${kind}[${i}]`, 'items must be sorted by key, and each key must match its definition');
      } else if (expected.digest !== item.digest) {
        add(
          `$.surface.${kind}[${i}].digest`,
          `digest of "${item.key}" does not match its definition`,
          'DIGEST_MISMATCH',
        );
      }
    });
  }
  if (surface.instructions && instructionsDigest(surface.instructions.text) !== surface.instructions.digest) {
    add('$.surface.instructions.digest', 'digest does not match the instructions text', 'DIGEST_MISMATCH');
  }

  const pkg = manifest.package;
  const declared = manifest.server.packages ?? [];
  if (pkg) {
    const entry = declared.find((p) => p.registryType === 'npm' && p.identifier === pkg.identifier);
    if (!entry) add('$.server.packages', `server.packages has no npm entry for ${pkg.identifier}`);
    else if (entry.version !== pkg.version)
      add('$.server.packages', 'server.packages version differs from the package');
    if (treeDigest(pkg.tree) !== pkg.treeDigest)
      add('$.package.treeDigest', 'does not match the tree', 'DIGEST_MISMATCH');
    const sorted = pkg.tree.every((n, i, all) => i === 0 || all[i - 1]!.location < n.location);
    if (!sorted) add('$.package.tree', 'nodes must be sorted by location without duplicates');
    const root = pkg.tree.find((n) => n.location === `node_modules/${pkg.identifier}`);
    if (!root) add('$.package.tree', `the tree has no node_modules/${pkg.identifier}`);
    else if (root.version !== pkg.version || root.integrity !== pkg.integrity || root.resolved !== pkg.resolved) {
      add('$.package', 'version, resolved or integrity differs from the tree root', 'INTEGRITY_MISMATCH');
    }
    const treeRules = resolveRules(manifest, rules);
    findings.push(
      ...checkTree(pkg.tree, treeRules.allowLocalRoot ? { ...treeRules, localRoot: pkg.identifier } : treeRules),
    );
  } else if (declared.length > 0) {
    add('$.package', 'server.packages is declared but the manifest pins no package');
  }
  if (!pkg && (manifest.server.remotes ?? []).length === 0) {
    add('$.server', 'a manifest needs a package or a remote');
  }
  if (manifest.permissions) findings.push(...checkPermissions(manifest.permissions));
  return findings;
}

/** Throw on the first problem checkManifest finds. */
export function verifyManifest(manifest: McpLockManifest, rules: ManifestTreeRules = DEFAULT_TREE_RULES): void {
  const findings = checkManifest(manifest, rules);
  if (findings.length === 0) return;
  const first = findings[0]!;
  throw new McpLockError(first.code, `manifest ${manifest.server?.name ?? ''}: ${first.path} ${first.message}`, {
    hint: 'The manifest is not self-consistent; regenerate it with `mcp-lock manifest` rather than editing it.',
    data: { findings },
  });
}

/** Deterministic text for a manifest file: sorted keys, two spaces, trailing newline. */
export function formatManifest(manifest: McpLockManifest): string {
  return formatDeterministicJson(manifest);
}
