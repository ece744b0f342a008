// The manifests the UI renders, read through the service (so the caller's token decides what it may see),
// checked against the digest the version record names, parsed strictly, and kept in a small cache bounded
// by total bytes. Manifests are immutable per digest, so a cached one never goes stale.

import { sha256Hex } from '../../core/canonical/digest.ts';
import { McpLockError } from '../../core/errors.ts';
import type { McpLockManifest } from '../../core/generated/manifest.ts';
import { parseStoredManifest } from '../../core/manifest/manifest.ts';
import type { VersionRecord } from '../../core/registry/records.ts';
import type { RegistryService } from '../../core/registry/service.ts';
import type { Principal } from '../../core/registry/tokens.ts';

export interface ManifestCacheOptions {
  /** Sum of the byte sizes of the cached manifests. */
  maxBytes: number;
}

export class ManifestCache {
  private readonly service: RegistryService;
  private readonly maxBytes: number;
  private readonly entries = new Map<string, { manifest: McpLockManifest; bytes: number }>();
  private total = 0;

  constructor(service: RegistryService, options: ManifestCacheOptions = { maxBytes: 64 * 1024 * 1024 }) {
    this.service = service;
    this.maxBytes = options.maxBytes;
  }

  /**
   * The manifest of a version. `record` must come from a service call made for the same principal (which
   * decided the principal may see it); a cache miss reads the bytes through the service again.
   */
  async get(principal: Principal | null, record: VersionRecord): Promise<McpLockManifest> {
    const hit = this.entries.get(record.manifestDigest);
    if (hit) {
      // Refresh its place in the LRU order.
      this.entries.delete(record.manifestDigest);
      this.entries.set(record.manifestDigest, hit);
      return hit.manifest;
    }
    const bytes = await this.service.manifestBytes(principal, record.name, record.version);
    if (`sha256:${sha256Hex(bytes)}` !== record.manifestDigest) {
      throw new McpLockError('STORAGE_ERROR', `the stored manifest of ${record.name}@${record.version} is corrupt`);
    }
    const manifest = parseStoredManifest(bytes, `the stored manifest of ${record.name}@${record.version}`);
    this.remember(record.manifestDigest, manifest, bytes.byteLength);
    return manifest;
  }

  private remember(digest: string, manifest: McpLockManifest, bytes: number): void {
    if (bytes > this.maxBytes) return;
    this.entries.set(digest, { manifest, bytes });
    this.total += bytes;
    for (const [key, entry] of this.entries) {
      if (this.total <= this.maxBytes) break;
      this.entries.delete(key);
      this.total -= entry.bytes;
    }
  }
}
