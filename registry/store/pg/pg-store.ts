// The PostgreSQL RegistryStore, for any number of stateless `registry serve` replicas on one database.
// A transaction is one SERIALIZABLE database transaction: the service's reads run inside it, its writes
// are buffered and flushed at the end together with the audit events, so the version, its blobs and its
// audit event commit together or not at all. Concurrent writers that collide (the unique (name, version)
// key, a serialization failure) are retried from the start, where the service then sees the winner: one
// publish wins, the identical ones get "already there", the different ones a CONFLICT.

import pg from 'pg';
import { sha256Hex } from '../../../core/canonical/digest.ts';
import { McpLockError } from '../../../core/errors.ts';
import type { AuditQuery, RegistryStore, StoreReader, StoreTx, VersionQuery } from '../../../core/registry/ports.ts';
import type { AuditEvent, NewAuditEvent, SignerRecord, VersionRecord } from '../../../core/registry/records.ts';
import type { TokenRecord } from '../../../core/registry/tokens.ts';
import type { TufRole } from '../../../core/registry/tuf/metadata.ts';
import { BlobCache } from '../blob-cache.ts';
import { migrate } from './migrations.ts';
import { describeDatabase, isRetryable, storageError } from './pg-errors.ts';
import { versionQuerySql } from './version-query.ts';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

const MAX_ATTEMPTS = 30;
const TUF_KEEP = 32;
const BLOB_ID = /^[0-9a-f]{64}$/;

const versionKey = (name: string, version: string) => `${name}\n${version}`;

/** Reads shared by the store (pool) and a transaction (its client). */
class PgReader implements StoreReader {
  protected readonly db: Queryable;
  protected readonly blobCache: BlobCache;

  constructor(db: Queryable, blobCache: BlobCache) {
    this.db = db;
    this.blobCache = blobCache;
  }

  protected async rows<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    try {
      return (await this.db.query<R>(text, values)).rows;
    } catch (error) {
      throw storageError(error);
    }
  }

  async getVersion(name: string, version: string): Promise<VersionRecord | undefined> {
    const rows = await this.rows<{ record: VersionRecord }>(
      'SELECT record FROM versions WHERE name = $1 AND version = $2',
      [name, version],
    );
    return rows[0]?.record;
  }

  async listVersions(name: string): Promise<VersionRecord[]> {
    const rows = await this.rows<{ record: VersionRecord }>(
      'SELECT record FROM versions WHERE name = $1 ORDER BY version',
      [name],
    );
    return rows.map((r) => r.record);
  }

  async queryVersions(query: VersionQuery): Promise<VersionRecord[]> {
    const { text, values } = versionQuerySql(query);
    return (await this.rows<{ record: VersionRecord }>(text, values)).map((r) => r.record);
  }

  async serverNames(): Promise<string[]> {
    return (await this.rows<{ name: string }>('SELECT DISTINCT name FROM versions ORDER BY name')).map((r) => r.name);
  }

  async findTokenByHash(hash: string): Promise<TokenRecord | undefined> {
    return (await this.rows<{ record: TokenRecord }>('SELECT record FROM tokens WHERE hash = $1', [hash]))[0]?.record;
  }

  async listTokens(): Promise<TokenRecord[]> {
    const rows = await this.rows<{ record: TokenRecord }>('SELECT record FROM tokens ORDER BY created_at, id');
    return rows.map((r) => r.record);
  }

  async listSigners(namespace?: string): Promise<SignerRecord[]> {
    const rows =
      namespace === undefined
        ? await this.rows<{ record: SignerRecord }>('SELECT record FROM signers ORDER BY namespace, id')
        : await this.rows<{ record: SignerRecord }>('SELECT record FROM signers WHERE namespace = $1 ORDER BY id', [
            namespace,
          ]);
    return rows.map((r) => r.record);
  }

  async getBlob(id: string): Promise<Uint8Array | undefined> {
    if (!BLOB_ID.test(id)) return undefined;
    // The table's CHECK constraint proved id = sha256(bytes) when the blob was stored: no re-hash per read,
    // and immutable bytes are kept in memory after the first read.
    const cached = this.blobCache.get(id);
    if (cached) return cached;
    const bytes = (await this.rows<{ bytes: Buffer }>('SELECT bytes FROM blobs WHERE id = $1', [id]))[0]?.bytes;
    if (bytes) this.blobCache.set(id, bytes);
    return bytes;
  }

  async getTufMetadata(role: TufRole, version?: number): Promise<Uint8Array | undefined> {
    const rows =
      version === undefined
        ? await this.rows<{ blob: string }>(
            'SELECT blob FROM tuf_metadata WHERE role = $1 ORDER BY version DESC LIMIT 1',
            [role],
          )
        : await this.rows<{ blob: string }>('SELECT blob FROM tuf_metadata WHERE role = $1 AND version = $2', [
            role,
            version,
          ]);
    return rows[0] ? this.getBlob(rows[0].blob) : undefined;
  }

  protected async newestTufVersion(role: TufRole): Promise<number> {
    const rows = await this.rows<{ v: number | null }>('SELECT max(version) AS v FROM tuf_metadata WHERE role = $1', [
      role,
    ]);
    return rows[0]?.v ?? 0;
  }
}

class PgTx extends PgReader implements StoreTx {
  private readonly versions = new Map<string, VersionRecord>();
  /** Versions this transaction saw in the database: those are updated, the others inserted. */
  private readonly seen = new Set<string>();
  private readonly blobs = new Map<string, Uint8Array>();
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly signers = new Map<string, SignerRecord | null>();
  private readonly audit: NewAuditEvent[] = [];
  private readonly tuf: { role: TufRole; version: number; blob: string }[] = [];

  private see(records: VersionRecord[]): VersionRecord[] {
    for (const r of records) this.seen.add(versionKey(r.name, r.version));
    return records.map((r) => this.versions.get(versionKey(r.name, r.version)) ?? r);
  }

  override async getVersion(name: string, version: string): Promise<VersionRecord | undefined> {
    const draft = this.versions.get(versionKey(name, version));
    if (draft) return draft;
    const found = await super.getVersion(name, version);
    return found ? this.see([found])[0] : undefined;
  }

  override async listVersions(name: string): Promise<VersionRecord[]> {
    const stored = this.see(await super.listVersions(name));
    const added = [...this.versions.values()].filter(
      (r) => r.name === name && !stored.some((s) => s.version === r.version),
    );
    return [...stored, ...added];
  }

  override async serverNames(): Promise<string[]> {
    const names = new Set(await super.serverNames());
    for (const r of this.versions.values()) names.add(r.name);
    return [...names].sort();
  }

  override async listTokens(): Promise<TokenRecord[]> {
    const stored = (await super.listTokens()).filter((t) => !this.tokens.has(t.id));
    return [...stored, ...this.tokens.values()];
  }

  override async listSigners(namespace?: string): Promise<SignerRecord[]> {
    const stored = (await super.listSigners(namespace)).filter((s) => !this.signers.has(`${s.namespace}\n${s.id}`));
    const drafts = [...this.signers.values()].filter(
      (s): s is SignerRecord => s !== null && (namespace === undefined || s.namespace === namespace),
    );
    return [...stored, ...drafts];
  }

  override async getBlob(id: string): Promise<Uint8Array | undefined> {
    return this.blobs.get(id) ?? super.getBlob(id);
  }

  override async getTufMetadata(role: TufRole, version?: number): Promise<Uint8Array | undefined> {
    const drafts = this.tuf.filter((t) => t.role === role && (version === undefined || t.version === version));
    const newest = drafts.sort((a, b) => b.version - a.version)[0];
    if (newest && (version !== undefined || newest.version > (await this.newestTufVersion(role)))) {
      return this.getBlob(newest.blob);
    }
    return super.getTufMetadata(role, version);
  }

  async putTufMetadata(role: TufRole, version: number, bytes: Uint8Array): Promise<void> {
    const exists =
      this.tuf.some((t) => t.role === role && t.version === version) ||
      (await super.getTufMetadata(role, version)) !== undefined;
    if (!Number.isSafeInteger(version) || version < 1 || exists) {
      throw new McpLockError('STORAGE_ERROR', `TUF ${role} version ${version} exists already or is not a version`);
    }
    this.tuf.push({ role, version, blob: await this.putBlob(bytes) });
  }

  putVersion(record: VersionRecord): void {
    this.versions.set(versionKey(record.name, record.version), record);
  }

  async putBlob(bytes: Uint8Array): Promise<string> {
    const id = sha256Hex(bytes);
    this.blobs.set(id, bytes);
    return id;
  }

  putToken(record: TokenRecord): void {
    this.tokens.set(record.id, record);
  }

  putSigner(record: SignerRecord): void {
    this.signers.set(`${record.namespace}\n${record.id}`, record);
  }

  removeSigner(namespace: string, id: string): void {
    this.signers.set(`${namespace}\n${id}`, null);
  }

  appendAudit(event: NewAuditEvent): void {
    this.audit.push(event);
  }

  /** Write everything buffered, in an order the foreign keys accept. */
  async flush(): Promise<void> {
    for (const [id, bytes] of this.blobs) {
      await this.db.query('INSERT INTO blobs (id, bytes) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [
        id,
        Buffer.from(bytes),
      ]);
    }
    for (const [key, r] of this.versions) {
      const values = [
        r.name,
        r.version,
        r.namespace,
        r.status,
        r.isLatest,
        r.updatedAt,
        r.manifestDigest,
        r.blobs.manifest,
        r.blobs.publisherBundle,
        r.blobs.approvalBundle,
        searchText(r),
        JSON.stringify(r),
      ];
      if (this.seen.has(key)) {
        await this.db.query(
          `UPDATE versions SET namespace = $3, status = $4, is_latest = $5, updated_at = $6, manifest_digest = $7,
             manifest_blob = $8, publisher_bundle_blob = $9, approval_bundle_blob = $10, search_text = $11, record = $12
           WHERE name = $1 AND version = $2`,
          values,
        );
      } else {
        // A plain insert: a concurrent publish of the same version makes this fail, and the retry sees it.
        await this.db.query(
          `INSERT INTO versions (name, version, namespace, status, is_latest, updated_at, manifest_digest,
             manifest_blob, publisher_bundle_blob, approval_bundle_blob, search_text, record)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          values,
        );
      }
    }
    for (const t of this.tuf) {
      // Every root is kept; of the other roles the recent versions, enough for readers (as the file store).
      await this.db.query('INSERT INTO tuf_metadata (role, version, blob) VALUES ($1, $2, $3)', [
        t.role,
        t.version,
        t.blob,
      ]);
      if (t.role !== 'root') {
        await this.db.query('DELETE FROM tuf_metadata WHERE role = $1 AND version <= $2', [
          t.role,
          t.version - TUF_KEEP,
        ]);
      }
    }
    for (const t of this.tokens.values()) {
      await this.db.query(
        `INSERT INTO tokens (id, hash, created_at, record) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET hash = EXCLUDED.hash, record = EXCLUDED.record`,
        [t.id, t.hash, t.createdAt, JSON.stringify(t)],
      );
    }
    for (const [key, s] of this.signers) {
      const [namespace, id] = key.split('\n') as [string, string];
      if (s === null) await this.db.query('DELETE FROM signers WHERE namespace = $1 AND id = $2', [namespace, id]);
      else {
        await this.db.query(
          `INSERT INTO signers (namespace, id, record) VALUES ($1, $2, $3)
           ON CONFLICT (namespace, id) DO UPDATE SET record = EXCLUDED.record`,
          [namespace, id, JSON.stringify(s)],
        );
      }
    }
    if (this.audit.length > 0) {
      // The one counter row serializes audit numbering: sequence numbers have no gaps and never repeat.
      const head = await this.db.query<{ audit_seq: string }>(
        'UPDATE registry_meta SET audit_seq = audit_seq + $1 RETURNING audit_seq',
        [this.audit.length],
      );
      let seq = Number(head.rows[0]!.audit_seq) - this.audit.length;
      for (const e of this.audit) {
        const event: AuditEvent = { seq: ++seq, ...e };
        await this.db.query('INSERT INTO audit (seq, action, name, event) VALUES ($1, $2, $3, $4)', [
          event.seq,
          event.action,
          event.name ?? null,
          JSON.stringify(event),
        ]);
      }
    }
  }
}

function searchText(r: VersionRecord): string {
  return `${r.name}\n${r.server.description}\n${r.server.title ?? ''}`.toLowerCase();
}

export interface PgStoreOptions {
  /** Connections per replica (default 10). */
  maxConnections?: number;
}

export class PgRegistryStore extends PgReader implements RegistryStore {
  private readonly pool: pg.Pool;
  private closed = false;

  private constructor(pool: pg.Pool) {
    super(pool, new BlobCache());
    this.pool = pool;
  }

  /** Connect, apply or check the migrations, and return the store. The URL's password is never shown. */
  static async open(url: string, options: PgStoreOptions = {}): Promise<PgRegistryStore> {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
      statement_timeout: 30_000,
      application_name: 'mcp-lock registry',
    });
    // An idle connection the server dropped (a database restart) must not crash the process.
    pool.on('error', () => undefined);
    try {
      await migrate(pool);
    } catch (error) {
      await pool.end().catch(() => undefined);
      if (error instanceof McpLockError) throw error;
      throw new McpLockError('STORAGE_ERROR', `cannot open the registry database ${describeDatabase(url)}`, {
        hint: 'Check --database-url (or MCP_LOCK_REGISTRY_DATABASE_URL), that PostgreSQL runs and accepts this user.',
        cause: error,
      });
    }
    return new PgRegistryStore(pool);
  }

  async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    if (this.closed) throw new McpLockError('STORAGE_ERROR', 'the registry store is closed');
    for (let attempt = 1; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await this.pool.connect();
      } catch (error) {
        throw storageError(error);
      }
      let broken = false;
      // A connection the server drops while checked out (a database restart) errors here, not the process.
      const onError = () => {
        broken = true;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
        const tx = new PgTx(client, this.blobCache);
        const result = await fn(tx);
        await tx.flush();
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        if (attempt < MAX_ATTEMPTS && isRetryable(error)) {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 2 ** attempt)));
          continue;
        }
        if (error instanceof McpLockError) throw error;
        throw storageError(error);
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    }
  }

  async readAudit(query: AuditQuery): Promise<AuditEvent[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (query.after !== undefined) where.push(`seq > $${values.push(query.after)}`);
    if (query.action !== undefined) where.push(`action = $${values.push(query.action)}`);
    if (query.name !== undefined) where.push(`name = $${values.push(query.name)}`);
    const text = `SELECT event FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY seq LIMIT $${values.push(query.limit)}`;
    return (await this.rows<{ event: AuditEvent }>(text, values)).map((r) => r.event);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
