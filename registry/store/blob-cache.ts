// Verified blobs kept in memory, least recently used first out, bounded in total bytes. Blobs are
// content-addressed and immutable, so an entry never goes stale: the file store hashes a blob once, when
// it first reads it, instead of on every request.

export class BlobCache {
  private readonly entries = new Map<string, Uint8Array>();
  private bytes = 0;
  private readonly maxBytes: number;
  private readonly maxEntryBytes: number;

  constructor(maxBytes = 64 * 1024 * 1024, maxEntryBytes = 4 * 1024 * 1024) {
    this.maxBytes = maxBytes;
    this.maxEntryBytes = maxEntryBytes;
  }

  get(id: string): Uint8Array | undefined {
    const hit = this.entries.get(id);
    if (hit) {
      this.entries.delete(id);
      this.entries.set(id, hit); // now the most recent
    }
    return hit;
  }

  /** Keep verified bytes (too large ones are not kept). */
  set(id: string, bytes: Uint8Array): void {
    if (bytes.length > this.maxEntryBytes || this.entries.has(id)) return;
    this.entries.set(id, bytes);
    this.bytes += bytes.length;
    for (const [oldest, value] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= value.length;
    }
  }
}
