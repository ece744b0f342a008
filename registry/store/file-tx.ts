// The embedded store's transactions, and the blob reads the store shares with them. A transaction keeps
// its writes beside the committed state, which its reads see through them; at commit they become one
// journal entry (file-store.ts). Blobs are written at once, content-addressed: unreferenced if it aborts.

import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createFileExclusive } from '../../adapters/fs/atomic-write.ts';
import { sha256Hex } from '../../core/canonical/digest.ts';
import { McpLockError } from '../../core/errors.ts';
import type { StoreTx, VersionQuery } from '../../core/registry/ports.ts';
import { compareKeys, type NewAuditEvent, type SignerRecord, type VersionRecord } from '../../core/registry/records.ts';
import type { TokenRecord } from '../../core/registry/tokens.ts';
import type { TufRole } from '../../core/registry/tuf/metadata.ts';
import type { BlobCache } from './blob-cache.ts';
import { recordMatches } from './file-index.ts';
import type { JournalOp } from './file-journal.ts';
import { type State, signerKey } from './file-state.ts';

const BLOB_ID = /^[0-9a-f]{64}$/;
/** Versions of targets, snapshot and timestamp kept (readers fetch by version); every root is kept. */
const TUF_KEEP = 32;
const versionKey = (name: string, version: string) => `${name}\n${version}`;

export function blobPath(dir: string, id: string): string {
  return join(dir, 'blobs', id.slice(0, 2), id);
}

/** Blob reads, shared by the store and its transactions: hashed once when first read, then cached. */
export abstract class BlobReader {
  protected readonly dir: string;
  protected readonly blobCache: BlobCache;

  constructor(dir: string, blobCache: BlobCache) {
    this.dir = dir;
    this.blobCache = blobCache;
  }

  async getBlob(id: string): Promise<Uint8Array | undefined> {
    if (!BLOB_ID.test(id)) return undefined;
    const cached = this.blobCache.get(id);
    if (cached) return cached;
    let bytes: Buffer;
    try {
      bytes = await readFile(blobPath(this.dir, id));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new McpLockError('STORAGE_ERROR', `cannot read blob ${id.slice(0, 12)}…`, { cause: error });
    }
    if (sha256Hex(bytes) !== id) {
      throw new McpLockError('STORAGE_ERROR', `blob ${id.slice(0, 12)}… is corrupt (its hash changed)`);
    }
    this.blobCache.set(id, bytes);
    return bytes;
  }

  protected tufBlob(versions: ReadonlyMap<number, string>, version?: number): Promise<Uint8Array | undefined> {
    const wanted = version ?? Math.max(0, ...versions.keys());
    const blob = versions.get(wanted);
    return blob === undefined ? Promise.resolve(undefined) : this.getBlob(blob);
  }
}

/** A transaction: its writes are kept beside the committed state, which its reads see through them. */
export class FileTx extends BlobReader implements StoreTx {
  private readonly base: State;
  readonly audit: NewAuditEvent[] = [];
  private readonly versions = new Map<string, VersionRecord>();
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly signers = new Map<string, SignerRecord | null>();
  private readonly tuf = new Map<string, { role: TufRole; version: number; blob: string | null }>();

  constructor(dir: string, base: State, blobCache: BlobCache) {
    super(dir, blobCache);
    this.base = base;
  }

  get dirty(): boolean {
    const writes = this.versions.size + this.tokens.size + this.signers.size + this.tuf.size;
    return writes + this.audit.length > 0;
  }

  /** The journal operations of this transaction. */
  ops(): JournalOp[] {
    const ops: JournalOp[] = [];
    for (const record of this.versions.values()) ops.push({ op: 'version', record });
    for (const record of this.tokens.values()) ops.push({ op: 'token', record });
    for (const [k, record] of this.signers) {
      if (record) ops.push({ op: 'signer', record });
      else {
        const [namespace, id] = k.split('\n') as [string, string];
        ops.push({ op: 'signer-removed', namespace, id });
      }
    }
    for (const t of this.tuf.values()) ops.push({ op: 'tuf', ...t });
    return ops;
  }

  async getVersion(name: string, version: string): Promise<VersionRecord | undefined> {
    return this.versions.get(versionKey(name, version)) ?? this.base.versions.get(name, version);
  }

  async listVersions(name: string): Promise<VersionRecord[]> {
    const mine = [...this.versions.values()].filter((r) => r.name === name);
    const stored = this.base.versions.versionsOf(name).filter((r) => !this.versions.has(versionKey(r.name, r.version)));
    return [...stored, ...mine].sort(compareKeys);
  }

  async queryVersions(query: VersionQuery): Promise<VersionRecord[]> {
    // Enough committed matches that those this transaction replaced can be dropped, then its own.
    const stored = this.base.versions
      .query({ ...query, limit: query.limit + this.versions.size })
      .filter((r) => !this.versions.has(versionKey(r.name, r.version)));
    const mine = [...this.versions.values()].filter((r) => recordMatches(r, query));
    return [...stored, ...mine].sort(compareKeys).slice(0, query.limit);
  }

  async serverNames(): Promise<string[]> {
    const names = new Set(this.base.versions.serverNames());
    for (const r of this.versions.values()) names.add(r.name);
    return [...names].sort();
  }

  private allTokens(): TokenRecord[] {
    return [...new Map([...this.base.tokens, ...this.tokens]).values()];
  }

  async findTokenByHash(hash: string): Promise<TokenRecord | undefined> {
    return this.allTokens().find((t) => t.hash === hash);
  }

  async listTokens(): Promise<TokenRecord[]> {
    return this.allTokens().sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
  }

  async listSigners(namespace?: string): Promise<SignerRecord[]> {
    const all = new Map<string, SignerRecord | null>([...this.base.signers, ...this.signers]);
    return [...all.values()].filter(
      (s): s is SignerRecord => s !== null && (namespace === undefined || s.namespace === namespace),
    );
  }

  private tufVersions(role: TufRole): Map<number, string> {
    const versions = new Map(this.base.tuf[role]);
    for (const t of this.tuf.values()) {
      if (t.role !== role) continue;
      if (t.blob === null) versions.delete(t.version);
      else versions.set(t.version, t.blob);
    }
    return versions;
  }

  async getTufMetadata(role: TufRole, version?: number): Promise<Uint8Array | undefined> {
    return this.tufBlob(this.tufVersions(role), version);
  }

  putVersion(record: VersionRecord): void {
    this.versions.set(versionKey(record.name, record.version), record);
  }

  async putBlob(bytes: Uint8Array): Promise<string> {
    const id = sha256Hex(bytes);
    await mkdir(join(this.dir, 'blobs', id.slice(0, 2)), { recursive: true, mode: 0o700 });
    // Content-addressed: an existing blob with this name already holds exactly these bytes. A blob written
    // by a transaction that never commits is unreferenced and harmless.
    await createFileExclusive(blobPath(this.dir, id), bytes, 0o600);
    return id;
  }

  putToken(record: TokenRecord): void {
    this.tokens.set(record.id, record);
  }

  putSigner(record: SignerRecord): void {
    this.signers.set(signerKey(record.namespace, record.id), record);
  }

  removeSigner(namespace: string, id: string): void {
    this.signers.set(signerKey(namespace, id), null);
  }

  appendAudit(event: NewAuditEvent): void {
    this.audit.push(event);
  }

  async putTufMetadata(role: TufRole, version: number, bytes: Uint8Array): Promise<void> {
    const versions = this.tufVersions(role);
    if (!Number.isSafeInteger(version) || version < 1 || versions.has(version)) {
      throw new McpLockError('STORAGE_ERROR', `TUF ${role} version ${version} exists already or is not a version`);
    }
    const blob = await this.putBlob(bytes);
    this.tuf.set(`${role}\n${version}`, { role, version, blob });
    versions.set(version, blob);
    if (role !== 'root') {
      for (const old of [...versions.keys()].sort((a, b) => a - b).slice(0, -TUF_KEEP)) {
        this.tuf.set(`${role}\n${old}`, { role, version: old, blob: null });
      }
    }
  }
}
