// The embedded RegistryStore: one directory, no database server. Metadata lives in state.json (replaced
// atomically on every commit), manifests and bundles in content-addressed blobs, the audit log in an
// append-only JSON-lines file (fsync on every append). Writers are serialized in-process by a queue and
// across processes by a lock file; readers notice another process's commits by the state file's identity.
// A commit appends its audit events, then replaces state.json naming the last event's sequence number:
// that rename is the commit point, so after any crash the audit log and the state agree (audit-file.ts).

import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createFileExclusive, replaceFileAtomic } from '../../adapters/fs/atomic-write.ts';
import { sha256Hex } from '../../core/canonical/digest.ts';
import { McpLockError } from '../../core/errors.ts';
import { parseStrictJson } from '../../core/json/strict-json.ts';
import type { AuditQuery, RegistryStore, StoreReader, StoreTx, VersionQuery } from '../../core/registry/ports.ts';
import {
  type AuditEvent,
  compareKeys,
  type NewAuditEvent,
  type SignerRecord,
  type VersionRecord,
} from '../../core/registry/records.ts';
import type { TokenRecord } from '../../core/registry/tokens.ts';
import { TUF_ROLES, type TufRole } from '../../core/registry/tuf/metadata.ts';
import { appendAuditEvents, lastAuditSeq, readAuditEvents, truncateUncommitted } from './audit-file.ts';
import { BlobCache } from './blob-cache.ts';
import { acquireFileLock, DEFAULT_LOCK_OPTIONS, type LockOptions } from './file-lock.ts';

const STATE_FILE = 'state.json';
const AUDIT_FILE = 'audit.jsonl';
const LOCK_FILE = 'registry.lock';
const STATE_LIMITS = { maxBytes: 1024 * 1024 * 1024, maxDepth: 128 };
const BLOB_ID = /^[0-9a-f]{64}$/;
/** Versions of targets, snapshot and timestamp kept (readers fetch by version); every root is kept. */
const TUF_KEEP = 32;

/** Per role, version → blob id of the signed metadata bytes. */
type TufIndex = Record<TufRole, Map<number, string>>;

function emptyTuf(): TufIndex {
  return { root: new Map(), targets: new Map(), snapshot: new Map(), timestamp: new Map() };
}

interface State {
  versions: Map<string, VersionRecord>;
  tokens: Map<string, TokenRecord>;
  signers: Map<string, SignerRecord>;
  tuf: TufIndex;
  /** The sequence number of the last committed audit event (absent in state written before it was kept). */
  auditSeq?: number;
  sorted?: VersionRecord[];
}

const versionKey = (name: string, version: string) => `${name}\n${version}`;
const signerKey = (namespace: string, id: string) => `${namespace}\n${id}`;

/** No state file means nothing was ever committed: audit lines without one are a crashed first write. */
function emptyState(): State {
  return { versions: new Map(), tokens: new Map(), signers: new Map(), tuf: emptyTuf(), auditSeq: 0 };
}

function serialize(state: State): string {
  return `${JSON.stringify({
    formatVersion: 1,
    auditSeq: state.auditSeq ?? 0,
    versions: sortedVersions(state),
    tokens: [...state.tokens.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
    signers: [...state.signers.values()].sort((a, b) =>
      compareKeys({ name: a.namespace, version: a.id }, { name: b.namespace, version: b.id }),
    ),
    tuf: Object.fromEntries(
      TUF_ROLES.map((role) => [
        role,
        [...state.tuf[role]].sort((a, b) => a[0] - b[0]).map(([version, blob]) => ({ version, blob })),
      ]),
    ),
  })}\n`;
}

function deserialize(bytes: Uint8Array, path: string): State {
  let value: unknown;
  try {
    value = parseStrictJson(bytes, 'registry state', STATE_LIMITS);
  } catch (error) {
    throw new McpLockError('STORAGE_ERROR', `${path} is not readable registry state`, {
      hint: 'The file was changed outside mcp-lock or the disk is damaged; restore it from a backup.',
      cause: error,
    });
  }
  const v = value as {
    formatVersion?: unknown;
    auditSeq?: unknown;
    versions?: unknown;
    tokens?: unknown;
    signers?: unknown;
    tuf?: unknown;
  };
  const seqOk = v?.auditSeq === undefined || (Number.isSafeInteger(v.auditSeq) && (v.auditSeq as number) >= 0);
  if (
    v?.formatVersion !== 1 ||
    !seqOk ||
    !Array.isArray(v.versions) ||
    !Array.isArray(v.tokens) ||
    !Array.isArray(v.signers)
  ) {
    throw new McpLockError('STORAGE_ERROR', `${path} has an unknown format`, {
      hint: 'This data directory was written by another version of mcp-lock.',
    });
  }
  const state = emptyState();
  if (v.auditSeq === undefined) delete state.auditSeq;
  else state.auditSeq = v.auditSeq as number;
  for (const r of v.versions as VersionRecord[]) state.versions.set(versionKey(r.name, r.version), r);
  for (const t of v.tokens as TokenRecord[]) state.tokens.set(t.id, t);
  for (const s of v.signers as SignerRecord[]) state.signers.set(signerKey(s.namespace, s.id), s);
  // State written before the registry kept TUF metadata has no `tuf`.
  const tuf = (v.tuf ?? {}) as Partial<Record<TufRole, { version: number; blob: string }[]>>;
  for (const role of TUF_ROLES) {
    for (const entry of tuf[role] ?? []) {
      if (!Number.isSafeInteger(entry?.version) || !BLOB_ID.test(String(entry?.blob))) {
        throw new McpLockError('STORAGE_ERROR', `${path} has an unreadable TUF ${role} entry`);
      }
      state.tuf[role].set(entry.version, entry.blob);
    }
  }
  return state;
}

function sortedVersions(state: State): VersionRecord[] {
  state.sorted ??= [...state.versions.values()].sort(compareKeys);
  return state.sorted;
}

/** Reads over one state snapshot; shared by the store (committed state) and a transaction (its draft). */
class StateReader implements StoreReader {
  protected readonly dir: string;
  protected current: () => State;
  protected readonly blobCache: BlobCache;

  constructor(dir: string, current: () => State, blobCache: BlobCache) {
    this.dir = dir;
    this.current = current;
    this.blobCache = blobCache;
  }

  async getVersion(name: string, version: string): Promise<VersionRecord | undefined> {
    return this.current().versions.get(versionKey(name, version));
  }

  async listVersions(name: string): Promise<VersionRecord[]> {
    return sortedVersions(this.current()).filter((r) => r.name === name);
  }

  async queryVersions(query: VersionQuery): Promise<VersionRecord[]> {
    const search = query.search?.toLowerCase();
    const names = query.names ? new Set(query.names) : undefined;
    const out: VersionRecord[] = [];
    for (const r of sortedVersions(this.current())) {
      if (query.after && compareKeys(r, query.after) <= 0) continue;
      if (!query.statuses.includes(r.status)) continue;
      if (names && !names.has(r.name)) continue;
      if (query.version && ('latest' in query.version ? !r.isLatest : r.version !== query.version.exact)) continue;
      if (query.updatedSince && !(r.updatedAt > query.updatedSince)) continue;
      if (
        search &&
        !r.name.toLowerCase().includes(search) &&
        !r.server.description.toLowerCase().includes(search) &&
        !(r.server.title ?? '').toLowerCase().includes(search)
      ) {
        continue;
      }
      out.push(r);
      if (out.length >= query.limit) break;
    }
    return out;
  }

  async serverNames(): Promise<string[]> {
    return [...new Set(sortedVersions(this.current()).map((r) => r.name))];
  }

  async findTokenByHash(hash: string): Promise<TokenRecord | undefined> {
    for (const t of this.current().tokens.values()) if (t.hash === hash) return t;
    return undefined;
  }

  async listTokens(): Promise<TokenRecord[]> {
    return [...this.current().tokens.values()].sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
  }

  async listSigners(namespace?: string): Promise<SignerRecord[]> {
    return [...this.current().signers.values()].filter((s) => namespace === undefined || s.namespace === namespace);
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

  async getTufMetadata(role: TufRole, version?: number): Promise<Uint8Array | undefined> {
    const versions = this.current().tuf[role];
    const wanted = version ?? Math.max(0, ...versions.keys());
    const blob = versions.get(wanted);
    return blob === undefined ? undefined : this.getBlob(blob);
  }
}

function blobPath(dir: string, id: string): string {
  return join(dir, 'blobs', id.slice(0, 2), id);
}

class FileTx extends StateReader implements StoreTx {
  readonly draft: State;
  readonly audit: NewAuditEvent[] = [];
  dirty = false;

  constructor(dir: string, base: State, blobCache: BlobCache) {
    const draft: State = {
      versions: new Map(base.versions),
      tokens: new Map(base.tokens),
      signers: new Map(base.signers),
      tuf: {
        root: new Map(base.tuf.root),
        targets: new Map(base.tuf.targets),
        snapshot: new Map(base.tuf.snapshot),
        timestamp: new Map(base.tuf.timestamp),
      },
      ...(base.auditSeq !== undefined ? { auditSeq: base.auditSeq } : {}),
    };
    super(dir, () => draft, blobCache);
    this.draft = draft;
  }

  private touch(): void {
    this.dirty = true;
    this.draft.sorted = undefined;
  }

  putVersion(record: VersionRecord): void {
    this.draft.versions.set(versionKey(record.name, record.version), record);
    this.touch();
  }

  async putBlob(bytes: Uint8Array): Promise<string> {
    const id = sha256Hex(bytes);
    const path = blobPath(this.dir, id);
    await mkdir(join(this.dir, 'blobs', id.slice(0, 2)), { recursive: true, mode: 0o700 });
    // Content-addressed: an existing blob with this name already holds exactly these bytes. A blob written
    // by a transaction that never commits is unreferenced and harmless.
    await createFileExclusive(path, bytes, 0o600);
    return id;
  }

  putToken(record: TokenRecord): void {
    this.draft.tokens.set(record.id, record);
    this.touch();
  }

  putSigner(record: SignerRecord): void {
    this.draft.signers.set(signerKey(record.namespace, record.id), record);
    this.touch();
  }

  removeSigner(namespace: string, id: string): void {
    this.draft.signers.delete(signerKey(namespace, id));
    this.touch();
  }

  appendAudit(event: NewAuditEvent): void {
    this.audit.push(event);
    this.dirty = true;
  }

  async putTufMetadata(role: TufRole, version: number, bytes: Uint8Array): Promise<void> {
    const versions = this.draft.tuf[role];
    if (!Number.isSafeInteger(version) || version < 1 || versions.has(version)) {
      throw new McpLockError('STORAGE_ERROR', `TUF ${role} version ${version} exists already or is not a version`);
    }
    versions.set(version, await this.putBlob(bytes));
    if (role !== 'root') {
      for (const old of [...versions.keys()].sort((a, b) => a - b).slice(0, -TUF_KEEP)) versions.delete(old);
    }
    this.dirty = true;
  }
}

export interface FileStoreOptions {
  lock?: LockOptions;
}

export class FileRegistryStore extends StateReader implements RegistryStore {
  private state: State = emptyState();
  private identity = '';
  private queue: Promise<unknown> = Promise.resolve();
  private readonly lockOptions: LockOptions;
  private closed = false;

  private constructor(dir: string, options: FileStoreOptions) {
    super(dir, () => this!.state, new BlobCache());
    this.lockOptions = options.lock ?? DEFAULT_LOCK_OPTIONS;
  }

  /** Open (and on first use create) a data directory. */
  static async open(dir: string, options: FileStoreOptions = {}): Promise<FileRegistryStore> {
    try {
      await mkdir(join(dir, 'blobs'), { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new McpLockError('STORAGE_ERROR', `cannot create the data directory ${dir}`, { cause: error });
    }
    const store = new FileRegistryStore(dir, options);
    await store.refresh();
    return store;
  }

  get directory(): string {
    return this.dir;
  }

  private get statePath(): string {
    return join(this.dir, STATE_FILE);
  }

  private get auditPath(): string {
    return join(this.dir, AUDIT_FILE);
  }

  /** Reload state.json when another process (or a restart) replaced it. */
  private async refresh(): Promise<void> {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(this.statePath, { bigint: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.state = emptyState();
        this.identity = '';
        return;
      }
      throw new McpLockError('STORAGE_ERROR', `cannot read ${this.statePath}`, { cause: error });
    }
    const identity = `${info.ino}:${info.size}:${info.mtimeNs}`;
    if (identity === this.identity) return;
    const bytes = await readFile(this.statePath);
    this.state = deserialize(bytes, this.statePath);
    this.identity = identity;
  }

  private checkOpen(): void {
    if (this.closed) throw new McpLockError('STORAGE_ERROR', 'the registry store is closed');
  }

  // Reads see the latest committed state, including other processes' commits.
  override async getVersion(name: string, version: string) {
    await this.refresh();
    return super.getVersion(name, version);
  }
  override async listVersions(name: string) {
    await this.refresh();
    return super.listVersions(name);
  }
  override async queryVersions(query: VersionQuery) {
    await this.refresh();
    return super.queryVersions(query);
  }
  override async serverNames() {
    await this.refresh();
    return super.serverNames();
  }
  override async findTokenByHash(hash: string) {
    await this.refresh();
    return super.findTokenByHash(hash);
  }
  override async listTokens() {
    await this.refresh();
    return super.listTokens();
  }
  override async listSigners(namespace?: string) {
    await this.refresh();
    return super.listSigners(namespace);
  }
  override async getTufMetadata(role: TufRole, version?: number) {
    await this.refresh();
    return super.getTufMetadata(role, version);
  }

  async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    this.checkOpen();
    const run = this.queue.then(() => this.runExclusive(fn));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runExclusive<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    const release = await acquireFileLock(join(this.dir, LOCK_FILE), this.lockOptions);
    try {
      await this.refresh();
      const tx = new FileTx(this.dir, this.state, this.blobCache);
      const result = await fn(tx);
      if (tx.dirty) await this.commit(tx);
      return result;
    } finally {
      await release();
    }
  }

  /** The last committed audit sequence number; data from before it was recorded trusts the log. */
  private async committedSeq(state: State): Promise<number> {
    state.auditSeq ??= await lastAuditSeq(this.auditPath);
    return state.auditSeq;
  }

  private async commit(tx: FileTx): Promise<void> {
    let seq = await this.committedSeq(this.state);
    // Recovery: events a crashed writer appended without committing its state are cut off first.
    await truncateUncommitted(this.auditPath, seq);
    const events: AuditEvent[] = tx.audit.map((e) => ({ seq: ++seq, ...e }));
    tx.draft.auditSeq = seq;
    try {
      if (events.length > 0) await appendAuditEvents(this.auditPath, events);
      await replaceFileAtomic(this.statePath, serialize(tx.draft), 0o600);
    } catch (error) {
      throw new McpLockError('STORAGE_ERROR', 'could not write the registry state', {
        hint: 'Check free space and permissions of the data directory; nothing of this write was committed.',
        cause: error,
      });
    }
    const info = await stat(this.statePath, { bigint: true });
    this.state = tx.draft;
    this.identity = `${info.ino}:${info.size}:${info.mtimeNs}`;
  }

  async readAudit(query: AuditQuery): Promise<AuditEvent[]> {
    this.checkOpen();
    await this.refresh();
    return readAuditEvents(this.auditPath, query, await this.committedSeq(this.state));
  }

  async close(): Promise<void> {
    await this.queue;
    this.closed = true;
  }
}
