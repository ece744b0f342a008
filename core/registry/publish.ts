// Publish acceptance rules, pure: read the request body strictly, check the manifest (schema, consistency,
// official name and version rules, size caps), and decide what an existing version or a look-alike name
// means for it. Signature checks are in service.ts, through the BundleVerifier port.

import { canonicalJson, canonicalSha256Hex, type Digest } from '../canonical/digest.ts';
import { McpLockError } from '../errors.ts';
import type { McpLockManifest } from '../generated/manifest.ts';
import { type JsonObject, type JsonValue, parseStrictJson } from '../json/strict-json.ts';
import { DEFAULT_TREE_RULES, type TreeRules } from '../manifest/check-tree.ts';
import { checkManifestValue, MANIFEST_LIMITS } from '../manifest/manifest.ts';
import { OFFICIAL_META_KEY, REGISTRY_META_KEY } from './api-schema.ts';
import { findLookalike } from './lookalike.ts';
import { assertServerName, assertVersion } from './names.ts';
import type { VersionRecord } from './records.ts';

export interface PublishLimits {
  /** Whole request body, in bytes. */
  maxBytes: number;
  /** Nesting of the body (the manifest sits one level down). */
  maxDepth: number;
  /** The `server` part (served in every listing), canonical bytes. */
  maxServerBytes: number;
}

export const DEFAULT_PUBLISH_LIMITS: PublishLimits = {
  maxBytes: 8 * 1024 * 1024,
  maxDepth: MANIFEST_LIMITS.maxDepth + 1,
  maxServerBytes: 64 * 1024,
};

export interface PublishRequest {
  manifest: McpLockManifest;
  bundle: JsonObject;
  /** RFC 8785 bytes of the manifest exactly as sent: what is stored, served and hashed. */
  manifestBytes: Buffer;
  manifestDigest: Digest;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parse and check a publish body. Nothing is defaulted, coerced or dropped: what was sent is what is checked. */
export function readPublishBody(
  bytes: Uint8Array,
  limits: PublishLimits = DEFAULT_PUBLISH_LIMITS,
  rules: TreeRules = DEFAULT_TREE_RULES,
): PublishRequest {
  const body = parseStrictJson(bytes, 'publish request', { maxBytes: limits.maxBytes, maxDepth: limits.maxDepth });
  if (!isObject(body)) {
    throw new McpLockError('SCHEMA_INVALID', 'the publish request must be a JSON object', {
      hint: 'Send {"manifest": {…}, "bundle": {…}} (mcp-lock publish does this).',
    });
  }
  const extra = Object.keys(body).filter((k) => k !== 'manifest' && k !== 'bundle');
  if (extra.length > 0 || !isObject(body.manifest) || !isObject(body.bundle)) {
    throw new McpLockError('SCHEMA_INVALID', 'the publish request must have exactly "manifest" and "bundle" objects', {
      hint: 'Send {"manifest": {…}, "bundle": {…}} (mcp-lock publish does this).',
      data: { unexpected: extra },
    });
  }
  const manifest = body.manifest;
  // Name and version first: a path-traversal or look-alike name deserves its own code, not a schema error.
  const server = manifest.server;
  if (isObject(server)) {
    if (typeof server.name === 'string') assertServerName(server.name);
    if (typeof server.version === 'string') assertVersion(server.version);
  }
  const checked = checkManifestValue(manifest, rules);
  if (checked.value === null) {
    const { findings } = checked;
    const first = findings[0]!;
    throw new McpLockError(first.code, `the manifest is not acceptable: ${first.path} ${first.message}`, {
      hint: 'Regenerate it with `mcp-lock manifest` and sign it again; manifests are never edited by hand.',
      data: { findings: findings.slice(0, 20) },
    });
  }
  const valid = checked.value;
  const spoofed = Object.keys(valid.server._meta ?? {}).filter(isRegistryManagedKey);
  if (spoofed.length > 0) {
    throw new McpLockError(
      'MANIFEST_INVALID',
      `server._meta must not carry registry-managed metadata (${spoofed.join(', ')})`,
      {
        hint: 'Status and registry facts are set by the registry; publisher data goes under io.modelcontextprotocol.registry/publisher-provided.',
        data: { keys: spoofed },
      },
    );
  }
  assertServerName(valid.server.name);
  assertVersion(valid.server.version);
  const serverBytes = Buffer.byteLength(canonicalJson(valid.server), 'utf8');
  if (serverBytes > limits.maxServerBytes) {
    throw new McpLockError(
      'LIMIT_EXCEEDED',
      `the server part is ${serverBytes} bytes; at most ${limits.maxServerBytes}`,
      {
        hint: 'Keep server.json small (the official registry caps publisher _meta at 4 KB); the surface is not in it.',
      },
    );
  }
  const manifestBytes = Buffer.from(canonicalJson(valid, limits.maxDepth), 'utf8');
  return {
    manifest: valid,
    bundle: body.bundle,
    manifestBytes,
    manifestDigest: `sha256:${canonicalSha256Hex(valid)}`,
  };
}

/** `_meta` key of the publisher's catalogue facts (categories, tags): ours, but the publisher's to write. */
export const CATALOG_META_KEY = 'dev.mcp-lock/catalog';

/**
 * `_meta` keys only a registry may write: the official block and ours (a publisher could fake a status);
 * the catalogue block is the one publisher-provided key in our namespace (the schema bounds it).
 */
export function isRegistryManagedKey(key: string): boolean {
  if (key === CATALOG_META_KEY) return false;
  return key === OFFICIAL_META_KEY || key === REGISTRY_META_KEY || key.startsWith('dev.mcp-lock/');
}

/** A private marketplace keeps every version; the official versions listing is one unpaginated answer. */
export const MAX_VERSIONS_PER_SERVER = 1000;

/**
 * What publishing a manifest with `digest` means given what is stored for that name and version:
 * `create`, or `identical` (idempotent re-publish). Other content for a published version is a CONFLICT.
 */
export function decidePublish(existing: VersionRecord | undefined, digest: Digest): 'create' | 'identical' {
  if (!existing) return 'create';
  if (existing.manifestDigest === digest) return 'identical';
  throw new McpLockError('CONFLICT', `${existing.name}@${existing.version} is already published with other content`, {
    hint: 'Published versions are immutable; bump the version and publish again.',
    data: { existingDigest: existing.manifestDigest, sentDigest: digest },
  });
}

/** Refuse a new server name that looks like an existing one (server spoofing). */
export function assertNotLookalike(name: string, existingNames: readonly string[]): void {
  if (existingNames.includes(name)) return;
  const other = findLookalike(name, existingNames);
  if (other !== null) {
    throw new McpLockError('NAME_CONFUSABLE', `${name} looks like the existing server ${other}`, {
      hint: 'Names that differ only in case, separators or look-alike characters are refused; choose a distinct name.',
      data: { existing: other },
    });
  }
}
