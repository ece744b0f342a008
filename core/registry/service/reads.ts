// Every read the registry serves: the official API (list, versions, one version), our own API (versions
// a principal may see, blobs with their content address, diffs, the curators' queue, the audit log),
// signers, keys and the signed TUF state. Pages are filled from the store's keyset cursors.

import { McpLockError } from '../../errors.ts';
import { isRfc3339 } from '../api-validate.ts';
import { decodeCursor, encodeCursor, pageLimit } from '../cursor.ts';
import { diffManifests, type SurfaceChange } from '../diff.ts';
import { assertNamespace } from '../names.ts';
import type { VersionQuery } from '../ports.ts';
import type { AuditEvent, SignerRecord, VersionRecord } from '../records.ts';
import {
  LISTED_STATUSES,
  LISTED_WITH_DELETED,
  PUBLIC_STATUSES,
  VERSION_STATUSES,
  type VersionStatus,
} from '../status.ts';
import { authorize, hasPermission, inScope, type Principal } from '../tokens.ts';
import { readTufMetadataFile, readTufTargetFile } from '../tuf/reads.ts';
import { compareVersions, pickLatest } from '../version-order.ts';
import { notFound, readBlob, type ServiceContext, storedManifest } from './context.ts';

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface OfficialListQuery {
  cursor?: string;
  limit?: number;
  search?: string;
  updatedSince?: string;
  version?: string;
  includeDeleted?: boolean;
}

export interface OwnListQuery {
  cursor?: string;
  limit?: number;
  search?: string;
  statuses?: readonly VersionStatus[];
}

const SEARCH_MAX = 200;

export class RegistryReads {
  protected readonly ctx: ServiceContext;

  constructor(ctx: ServiceContext) {
    this.ctx = ctx;
  }

  // ── Official API ──────────────────────────────────────────────────────────────────────────────

  async listServers(query: OfficialListQuery): Promise<Page<VersionRecord>> {
    const limit = pageLimit(query.limit);
    // Incremental sync must see deletions, so updated_since implies include_deleted (official rule).
    const includeDeleted = query.includeDeleted === true || query.updatedSince !== undefined;
    const q: VersionQuery = {
      statuses: includeDeleted ? LISTED_WITH_DELETED : LISTED_STATUSES,
      limit: limit + 1,
      ...commonFilters(query),
    };
    if (query.updatedSince !== undefined) q.updatedSince = normalizeInstant(query.updatedSince);
    if (query.version !== undefined) {
      q.version = query.version === 'latest' ? { latest: true } : { exact: query.version };
    }
    const records = await this.ctx.store.queryVersions(q);
    return pageOf(records, limit);
  }

  /** Every listed version of a server, newest publication first (official order). */
  async listServerVersions(name: string, includeDeleted: boolean): Promise<VersionRecord[]> {
    const statuses = includeDeleted ? LISTED_WITH_DELETED : LISTED_STATUSES;
    const versions = (await this.ctx.store.listVersions(name)).filter((v) => statuses.includes(v.status));
    if (versions.length === 0) throw notFound(`the server ${name}`);
    return versions.sort((a, b) =>
      a.publishedAt !== b.publishedAt ? (a.publishedAt < b.publishedAt ? 1 : -1) : -compareVersions(a, b),
    );
  }

  /** One version, or `latest`. Yanked versions stay readable directly, with their status. */
  async getServerVersion(name: string, version: string): Promise<VersionRecord> {
    if (version === 'latest') {
      const latest = pickLatest(await this.ctx.store.listVersions(name));
      if (!latest) throw notFound(`the server ${name}`);
      return latest;
    }
    const record = await this.ctx.store.getVersion(name, version);
    if (!record || !PUBLIC_STATUSES.includes(record.status)) throw notFound(`${name}@${version}`);
    return record;
  }

  // ── mcp-lock API ──────────────────────────────────────────────────────────────────────────────

  private canRead(principal: Principal | null, record: VersionRecord): boolean {
    if (PUBLIC_STATUSES.includes(record.status)) return true;
    return principal !== null && hasPermission(principal, 'read-private') && inScope(principal, record.name);
  }

  async version(principal: Principal | null, name: string, version: string): Promise<VersionRecord> {
    const record =
      version === 'latest'
        ? await this.getServerVersion(name, 'latest')
        : await this.ctx.store.getVersion(name, version);
    if (!record || !this.canRead(principal, record)) throw notFound(`${name}@${version}`);
    return record;
  }

  async versions(principal: Principal | null, name: string): Promise<VersionRecord[]> {
    const all = (await this.ctx.store.listVersions(name)).filter((v) => this.canRead(principal, v));
    if (all.length === 0) throw notFound(`the server ${name}`);
    return all.sort((a, b) => compareVersions(b, a));
  }

  async list(principal: Principal | null, query: OwnListQuery): Promise<Page<VersionRecord>> {
    const limit = pageLimit(query.limit);
    const statuses = query.statuses && query.statuses.length > 0 ? query.statuses : LISTED_STATUSES;
    return this.collect({ statuses, ...commonFilters(query) }, limit, (r) => this.canRead(principal, r));
  }

  async manifestBytes(principal: Principal | null, name: string, version: string): Promise<Uint8Array> {
    return (await this.versionBlob(principal, name, version, 'manifest')).bytes!;
  }

  async bundleBytes(
    principal: Principal | null,
    name: string,
    version: string,
    role: 'publisher' | 'approval',
  ): Promise<Uint8Array> {
    return (await this.versionBlob(principal, name, version, role)).bytes!;
  }

  /**
   * One of a version's immutable blobs with its content address (hex sha256, a strong ETag). When the
   * caller already holds `knownId` and it is still the one, the bytes are not read (`bytes: null`).
   */
  async versionBlob(
    principal: Principal | null,
    name: string,
    version: string,
    which: 'manifest' | 'publisher' | 'approval',
    knownId?: string,
  ): Promise<{ id: string; bytes: Uint8Array | null }> {
    const record = await this.version(principal, name, version);
    const id =
      which === 'manifest'
        ? record.blobs.manifest
        : which === 'publisher'
          ? record.blobs.publisherBundle
          : record.blobs.approvalBundle;
    if (id === null) {
      throw new McpLockError('NOT_FOUND', `${name}@${version} has no approval (it is ${record.status})`, {
        hint: 'Only approved versions carry the registry countersignature.',
      });
    }
    return { id, bytes: id === knownId ? null : await readBlob(this.ctx.store, id) };
  }

  async diff(principal: Principal | null, name: string, from: string, to: string): Promise<SurfaceChange[]> {
    const [a, b] = await Promise.all([this.version(principal, name, from), this.version(principal, name, to)]);
    const [ma, mb] = await Promise.all([storedManifest(this.ctx.store, a), storedManifest(this.ctx.store, b)]);
    return diffManifests(ma, mb);
  }

  /** Pending versions the curator may review, each with the version to diff it against. */
  async queue(
    principal: Principal,
    query: { cursor?: string; limit?: number },
  ): Promise<Page<{ record: VersionRecord; previousApproved: VersionRecord | null }>> {
    authorize(principal, 'curate');
    const limit = pageLimit(query.limit);
    const page = await this.collect({ statuses: ['pending'], ...commonFilters({ cursor: query.cursor }) }, limit, (r) =>
      inScope(principal, r.name),
    );
    const items = await Promise.all(
      page.items.map(async (record) => ({
        record,
        previousApproved: pickLatest(await this.ctx.store.listVersions(record.name)),
      })),
    );
    return { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  async audit(
    principal: Principal,
    query: { cursor?: string; limit?: number; action?: string; name?: string },
  ): Promise<Page<AuditEvent>> {
    authorize(principal, 'audit');
    const limit = pageLimit(query.limit);
    let after: number | undefined;
    if (query.cursor !== undefined) {
      if (!/^\d{1,15}$/.test(query.cursor)) throw new McpLockError('USAGE', 'the audit cursor is a sequence number');
      after = Number(query.cursor);
    }
    const events = await this.ctx.store.readAudit({
      limit: limit + 1,
      ...(after !== undefined ? { after } : {}),
      ...(query.action ? { action: query.action } : {}),
      ...(query.name ? { name: query.name } : {}),
    });
    const items = events.slice(0, limit);
    const last = items.at(-1);
    return { items, ...(events.length > limit && last ? { nextCursor: String(last.seq) } : {}) };
  }

  /** The signers a namespace's publishers are verified against (public: consumers pin them). */
  async signers(namespace: string): Promise<SignerRecord[]> {
    assertNamespace(namespace);
    const signers = await this.ctx.store.listSigners(namespace);
    return signers.sort((a, b) => (a.addedAt < b.addedAt ? -1 : a.addedAt > b.addedAt ? 1 : a.id < b.id ? -1 : 1));
  }

  tufMetadataFile(file: string): Promise<Uint8Array> {
    return readTufMetadataFile(this.ctx.store, file);
  }

  tufTargetFile(dir: string, file: string): Promise<Uint8Array> {
    return readTufTargetFile(this.ctx.store, dir, file);
  }

  keys(): { keyId: string; publicKey: string }[] {
    return [{ keyId: this.ctx.approvalSigner.keyId, publicKey: this.ctx.approvalSigner.publicKeyPem }];
  }

  info(): { registry: string; apiVersion: string; keys: { keyId: string; publicKey: string }[] } {
    return { registry: this.ctx.registryId(), apiVersion: 'mcp-lock/v1', keys: this.keys() };
  }

  /** Fill a page from the store, skipping records `keep` refuses, without loading everything at once. */
  private async collect(
    base: Omit<VersionQuery, 'limit'>,
    limit: number,
    keep: (record: VersionRecord) => boolean,
  ): Promise<Page<VersionRecord>> {
    const out: VersionRecord[] = [];
    let after = base.after;
    for (let round = 0; round < 1000; round++) {
      const batch = await this.ctx.store.queryVersions({ ...base, ...(after ? { after } : {}), limit: 200 });
      for (const r of batch) {
        if (keep(r)) out.push(r);
        if (out.length > limit) return pageOf(out, limit);
      }
      if (batch.length < 200) break;
      const last = batch.at(-1)!;
      after = { name: last.name, version: last.version };
    }
    return pageOf(out, limit);
  }
}

function commonFilters(query: { cursor?: string; search?: string }): Partial<VersionQuery> {
  const filters: Partial<VersionQuery> = {};
  if (query.cursor !== undefined) filters.after = decodeCursor(query.cursor);
  if (query.search !== undefined && query.search !== '') {
    if (query.search.length > SEARCH_MAX) {
      throw new McpLockError('USAGE', `search is longer than ${SEARCH_MAX} characters`);
    }
    filters.search = query.search;
  }
  return filters;
}

function pageOf(records: VersionRecord[], limit: number): Page<VersionRecord> {
  const items = records.slice(0, limit);
  const last = items.at(-1);
  return records.length > limit && last
    ? { items, nextCursor: encodeCursor({ name: last.name, version: last.version }) }
    : { items };
}

function normalizeInstant(value: string): string {
  if (!isRfc3339(value)) {
    throw new McpLockError('USAGE', 'updated_since must be an RFC 3339 date-time', {
      hint: 'For example 2025-08-07T13:15:04.280Z.',
    });
  }
  return new Date(value).toISOString();
}

/** Parse a comma-separated status filter (`pending,approved`). */
export function parseStatuses(value: string | undefined): VersionStatus[] | undefined {
  if (value === undefined || value === '') return undefined;
  const parts = value.split(',');
  for (const p of parts) {
    if (!(VERSION_STATUSES as readonly string[]).includes(p)) {
      throw new McpLockError('USAGE', `unknown status ${JSON.stringify(p)}`, {
        hint: `Statuses are ${VERSION_STATUSES.join(', ')}.`,
      });
    }
  }
  return parts as VersionStatus[];
}
