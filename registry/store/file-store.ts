// The embedded RegistryStore: one directory, no database server. Committed state is a snapshot
// (state.json) plus a journal (state.log) of the transactions committed since, one fsynced line each, so a
// commit writes its change, not all state; when the journal outgrows the snapshot (and a floor), the
// writer compacts: a new snapshot naming the last entry it holds, then an empty journal (file-journal.ts).
// Manifests and bundles are content-addressed blobs; the audit log is an append-only JSON-lines file.
// Writers are serialized in-process by a queue and across processes by a lock file; readers pick up other
// processes' commits by reading the journal's new lines, or reload when the snapshot was replaced. A
// commit appends its audit events, then its journal line naming the last event's sequence number: that
// line is the commit point, so after any crash the audit log and the state agree (audit-file.ts).
// Reads go through an in-memory index (file-index.ts): no scan of every version per list or search.

import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir, replaceFileAtomic } from '../../adapters/fs/atomic-write.ts';
import { McpLockError } from '../../core/errors.ts';
import type { AuditQuery, RegistryStore, StoreTx, VersionQuery } from '../../core/registry/ports.ts';
import type { AuditEvent, SignerRecord, VersionRecord } from '../../core/registry/records.ts';
import type { TokenRecord } from '../../core/registry/tokens.ts';
import type { TufRole } from '../../core/registry/tuf/metadata.ts';
import { appendAuditEvents, lastAuditSeq, readAuditEvents, truncateUncommitted } from './audit-file.ts';
import { BlobCache } from './blob-cache.ts';
import { appendJournal, cutJournal, readJournal } from './file-journal.ts';
import { acquireFileLock, DEFAULT_LOCK_OPTIONS, type LockOptions } from './file-lock.ts';
import { applyOps, emptyState, parseSnapshot, type State, serializeSnapshot } from './file-state.ts';
import { BlobReader, FileTx } from './file-tx.ts';

const STATE_FILE = 'state.json';
const JOURNAL_FILE = 'state.log';
const AUDIT_FILE = 'audit.jsonl';
const LOCK_FILE = 'registry.lock';
/** The journal is compacted once it is larger than the snapshot and than this floor: amortised O(change). */
const COMPACT_MIN_BYTES = 4 * 1024 * 1024;
/** Full reloads retried when a concurrent compaction moved the files under the reader. */
const RELOAD_ATTEMPTS = 8;

async function statOrNull(path: string) {
  try {
    return await stat(path, { bigint: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new McpLockError('STORAGE_ERROR', `cannot read ${path}`, { cause: error });
  }
}

type FileInfo = Awaited<ReturnType<typeof statOrNull>>;
const identityOf = (info: FileInfo) => (info ? `${info.ino}:${info.size}:${info.mtimeNs}` : '');

/** Where the committed state on disk was read up to. */
interface Position {
  snapshot: string;
  snapshotBytes: number;
  journalIno: string;
  /** Byte offset past the last whole journal entry applied. */
  journalEnd: number;
  /** Bytes after journalEnd that are not a whole entry (a torn append, cut off by the next writer). */
  torn: boolean;
}

export interface FileStoreOptions {
  lock?: LockOptions;
  /** Compact once the journal exceeds max(snapshot size, this); default 4 MiB. */
  compactMinBytes?: number;
}

export class FileRegistryStore extends BlobReader implements RegistryStore {
  private state: State = emptyState();
  private at: Position = { snapshot: '', snapshotBytes: 0, journalIno: '', journalEnd: 0, torn: false };
  private queue: Promise<unknown> = Promise.resolve();
  private readonly lockOptions: LockOptions;
  private readonly compactMinBytes: number;
  private closed = false;
  private refreshing: Promise<void> | undefined;
  private again: Promise<void> | undefined;
  /** While this process holds the write lock no one else writes: reads wait for the refresh it made. */
  private locked: Promise<void> | undefined;

  private constructor(dir: string, options: FileStoreOptions) {
    super(dir, new BlobCache());
    this.lockOptions = options.lock ?? DEFAULT_LOCK_OPTIONS;
    this.compactMinBytes = options.compactMinBytes ?? COMPACT_MIN_BYTES;
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

  private path(file: string): string {
    return join(this.dir, file);
  }

  /**
   * Catch up with commits on disk. Concurrent callers share one refresh, and one more queued behind it
   * (a caller that arrives during a refresh may need what that one started too early to see).
   */
  private refresh(): Promise<void> {
    if (this.locked) return this.locked;
    if (!this.refreshing) {
      this.refreshing = this.catchUp().finally(() => {
        this.refreshing = undefined;
      });
      return this.refreshing;
    }
    this.again ??= this.refreshing
      .catch(() => undefined)
      .then(() => {
        this.again = undefined;
        return this.refresh();
      });
    return this.again;
  }

  private async catchUp(): Promise<void> {
    const [snapshot, journal] = await Promise.all([
      statOrNull(this.path(STATE_FILE)),
      statOrNull(this.path(JOURNAL_FILE)),
    ]);
    const journalIno = journal ? String(journal.ino) : '';
    const size = journal ? Number(journal.size) : 0;
    if (identityOf(snapshot) !== this.at.snapshot || journalIno !== this.at.journalIno || size < this.at.journalEnd) {
      return this.reload();
    }
    if (size === this.at.journalEnd) return;
    const read = await readJournal(this.path(JOURNAL_FILE), this.at.journalEnd, size);
    let logSeq = this.state.logSeq;
    if (read.entries.some((e) => e.n !== ++logSeq)) return this.reload(); // moved under us by a compaction
    for (const e of read.entries) {
      applyOps(this.state, e.ops);
      this.state.auditSeq = e.auditSeq;
      this.state.logSeq = e.n;
    }
    this.at = { ...this.at, journalEnd: read.end, torn: read.torn };
  }

  /** Read the snapshot and the whole journal; retried when a compaction replaced them meanwhile. */
  private async reload(): Promise<void> {
    for (let attempt = 0; attempt < RELOAD_ATTEMPTS; attempt++) {
      const snapshotInfo = await statOrNull(this.path(STATE_FILE));
      let state = emptyState();
      if (snapshotInfo) {
        let bytes: Buffer;
        try {
          bytes = await readFile(this.path(STATE_FILE));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
          throw new McpLockError('STORAGE_ERROR', `cannot read ${this.path(STATE_FILE)}`, { cause: error });
        }
        state = parseSnapshot(bytes, this.path(STATE_FILE));
      }
      const journal = await statOrNull(this.path(JOURNAL_FILE));
      const read = journal
        ? await readJournal(this.path(JOURNAL_FILE), 0, Number(journal.size))
        : { entries: [], end: 0, torn: false };
      // Entries the snapshot holds already are the residue of a compaction cut short; skip them.
      const fresh = read.entries.filter((e) => e.n > state.logSeq);
      const contiguous = fresh.every((e, i) => e.n === state.logSeq + 1 + i);
      if (!contiguous || identityOf(await statOrNull(this.path(STATE_FILE))) !== identityOf(snapshotInfo)) continue;
      for (const e of fresh) {
        applyOps(state, e.ops);
        state.auditSeq = e.auditSeq;
        state.logSeq = e.n;
      }
      this.state = state;
      this.at = {
        snapshot: identityOf(snapshotInfo),
        snapshotBytes: snapshotInfo ? Number(snapshotInfo.size) : 0,
        journalIno: journal ? String(journal.ino) : '',
        journalEnd: read.end,
        torn: read.torn,
      };
      return;
    }
    throw new McpLockError('STORAGE_ERROR', `${this.path(JOURNAL_FILE)} does not continue ${STATE_FILE}`, {
      hint: 'Entries are missing between the snapshot and the journal; restore the data directory from a backup.',
    });
  }

  private checkOpen(): void {
    if (this.closed) throw new McpLockError('STORAGE_ERROR', 'the registry store is closed');
  }

  // Reads see the latest committed state, including other processes' commits.
  async getVersion(name: string, version: string): Promise<VersionRecord | undefined> {
    await this.refresh();
    return this.state.versions.get(name, version);
  }

  async listVersions(name: string): Promise<VersionRecord[]> {
    await this.refresh();
    return this.state.versions.versionsOf(name);
  }

  async queryVersions(query: VersionQuery): Promise<VersionRecord[]> {
    await this.refresh();
    return this.state.versions.query(query);
  }

  async serverNames(): Promise<string[]> {
    await this.refresh();
    return this.state.versions.serverNames();
  }

  async findTokenByHash(hash: string): Promise<TokenRecord | undefined> {
    await this.refresh();
    for (const t of this.state.tokens.values()) if (t.hash === hash) return t;
    return undefined;
  }

  async listTokens(): Promise<TokenRecord[]> {
    await this.refresh();
    return [...this.state.tokens.values()].sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
  }

  async listSigners(namespace?: string): Promise<SignerRecord[]> {
    await this.refresh();
    return [...this.state.signers.values()].filter((s) => namespace === undefined || s.namespace === namespace);
  }

  async getTufMetadata(role: TufRole, version?: number): Promise<Uint8Array | undefined> {
    await this.refresh();
    return this.tufBlob(this.state.tuf[role], version);
  }

  async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    this.checkOpen();
    const run = this.queue.then(() => this.runExclusive(fn));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runExclusive<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    const release = await acquireFileLock(this.path(LOCK_FILE), this.lockOptions);
    // One last catch-up (after any refresh already running); then nothing changes on disk but our commit.
    const pending = this.refreshing;
    this.locked = (async () => {
      await pending?.catch(() => undefined);
      await this.catchUp();
    })();
    try {
      await this.locked;
      const tx = new FileTx(this.dir, this.state, this.blobCache);
      const result = await fn(tx);
      if (tx.dirty) await this.commit(tx);
      return result;
    } finally {
      this.locked = undefined;
      await release();
    }
  }

  /** The last committed audit sequence number; data from before it was recorded trusts the log. */
  private async committedSeq(state: State): Promise<number> {
    state.auditSeq ??= await lastAuditSeq(this.path(AUDIT_FILE));
    return state.auditSeq;
  }

  private async commit(tx: FileTx): Promise<void> {
    let seq = await this.committedSeq(this.state);
    const journalPath = this.path(JOURNAL_FILE);
    const ops = tx.ops();
    let appended = false;
    try {
      // Recovery: events a crashed writer appended without committing, and a torn journal line, go first.
      await truncateUncommitted(this.path(AUDIT_FILE), seq);
      if (this.at.torn) await cutJournal(journalPath, this.at.journalEnd);
      const events: AuditEvent[] = tx.audit.map((e) => ({ seq: ++seq, ...e }));
      if (events.length > 0) await appendAuditEvents(this.path(AUDIT_FILE), events);
      const n = this.state.logSeq + 1;
      const fresh = this.at.journalEnd === 0;
      const bytes = await appendJournal(journalPath, { n, auditSeq: seq, ops });
      // Committed. The in-memory state follows the line just written.
      appended = true;
      applyOps(this.state, ops);
      this.state.auditSeq = seq;
      this.state.logSeq = n;
      this.at = { ...this.at, journalEnd: this.at.journalEnd + bytes, torn: false };
      if (!this.at.journalIno) this.at.journalIno = String((await stat(journalPath, { bigint: true })).ino);
      if (fresh) await fsyncDir(this.dir); // the journal file itself may be new
    } catch (error) {
      // Whatever part of a line reached the file is cut off by the next writer. A line that was written
      // whole stays (like a database commit whose answer was lost): this write may or may not have happened.
      if (!appended) this.at.torn = true;
      throw new McpLockError('STORAGE_ERROR', 'could not write the registry state', {
        hint: appended
          ? 'Check the data directory; this write may have been committed.'
          : 'Check free space and permissions of the data directory; nothing of this write was committed.',
        cause: error,
      });
    }
    if (this.at.journalEnd > Math.max(this.compactMinBytes, this.at.snapshotBytes)) {
      // Best effort: the commit is durable in the journal already; a failed compaction is retried next time.
      await this.compactLocked().catch(() => undefined);
    }
  }

  /** Fold the journal into a new snapshot; the caller holds the write lock. */
  private async compactLocked(): Promise<void> {
    const statePath = this.path(STATE_FILE);
    const journalPath = this.path(JOURNAL_FILE);
    // The snapshot names the last entry it holds: a crash before the journal is emptied only leaves
    // entries that a reader skips.
    await replaceFileAtomic(statePath, serializeSnapshot(this.state), 0o600);
    await replaceFileAtomic(journalPath, '', 0o600);
    const [snapshot, journal] = await Promise.all([
      stat(statePath, { bigint: true }),
      stat(journalPath, { bigint: true }),
    ]);
    this.at = {
      snapshot: identityOf(snapshot),
      snapshotBytes: Number(snapshot.size),
      journalIno: String(journal.ino),
      journalEnd: 0,
      torn: false,
    };
  }

  /** Write a snapshot of all committed state now and empty the journal (tests, backups, an operator). */
  async compact(): Promise<void> {
    await this.transaction(async () => {
      await this.compactLocked();
    });
  }

  async readAudit(query: AuditQuery): Promise<AuditEvent[]> {
    this.checkOpen();
    await this.refresh();
    return readAuditEvents(this.path(AUDIT_FILE), query, await this.committedSeq(this.state));
  }

  async close(): Promise<void> {
    await this.queue;
    this.closed = true;
  }
}
