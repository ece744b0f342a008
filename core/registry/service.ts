// The registry's use cases: authenticate, publish, curate (approve with a countersignature, reject,
// deprecate, yank), and every read the official API and our own endpoints serve. Route handlers call
// these methods and translate HTTP; all decisions are made here and in the pure modules beside this one.

import { buildStatement, statementBytes, verifyStatement } from '../attestation/statement.ts';
import { canonicalJson, sha256Hex } from '../canonical/digest.ts';
import { McpLockError } from '../errors.ts';
import type { McpLockManifest } from '../generated/manifest.ts';
import { parseStrictJson } from '../json/strict-json.ts';
import { DEFAULT_TREE_RULES } from '../manifest/check-tree.ts';
import { MANIFEST_LIMITS } from '../manifest/manifest.ts';
import { scanManifest } from '../scan/scan.ts';
import { type Severity, severityAtLeast, severityRank } from '../scan/severity.ts';
import type { ScanFinding } from '../scan/types.ts';
import { isRfc3339 } from './api-validate.ts';
import { decodeCursor, encodeCursor, pageLimit } from './cursor.ts';
import { diffManifests, type SurfaceChange } from './diff.ts';
import { assertNamespace, assertServerName, assertVersion, namespaceOf } from './names.ts';
import { exchangeOidcToken, type OidcExchangeDeps, type OidcSession } from './oidc.ts';
import {
  assertOidcSessionAllowed,
  assertSignerIsPublisher,
  type OidcIdentityMode,
  oidcIdentityModeFor,
} from './oidc-identity.ts';
import type { ApprovalSigner, BundleVerifier, RegistryStore, StoreReader, StoreTx, VersionQuery } from './ports.ts';
import {
  assertNotLookalike,
  DEFAULT_PUBLISH_LIMITS,
  decidePublish,
  MAX_VERSIONS_PER_SERVER,
  type PublishLimits,
  readPublishBody,
} from './publish.ts';
import type {
  AuditActor,
  AuditEvent,
  CuratorApproval,
  RegistryFinding,
  SignerRecord,
  VersionRecord,
} from './records.ts';
import { signerRef, trustFor } from './signers.ts';
import {
  type CurationAction,
  LISTED_STATUSES,
  LISTED_WITH_DELETED,
  nextStatus,
  PUBLIC_STATUSES,
  parseReason,
  VERSION_STATUSES,
  type VersionStatus,
} from './status.ts';
import { authorize, bearerToken, hasPermission, inScope, type Principal, principalOf, tokenHash } from './tokens.ts';
import { readTufMetadataFile, readTufTargetFile } from './tuf/reads.ts';
import type { TufRepository } from './tuf/repository.ts';
import { type ApprovalPlan, curatorsRequiredFor, planApproval, principalName } from './two-person.ts';
import { compareVersions, pickLatest } from './version-order.ts';

export interface RegistryServiceDeps {
  store: RegistryStore;
  verify: BundleVerifier;
  approvalSigner: ApprovalSigner;
  /** The id approvals name: the registry's public URL. */
  registryId: () => string;
  now?: () => Date;
  publishLimits?: PublishLimits;
  publishPolicy?: PublishPolicy;
  /** The registry's TUF repository: curation re-signs targets, snapshot and timestamp in its transaction. */
  tuf?: TufRepository;
  /** Distinct curators an approval needs per namespace (`*`: default 1); never the publisher. */
  curatorsRequired?: Readonly<Record<string, number>>;
  /** Trusted OIDC issuers for publishing from CI, their verifier, and randomness for session tokens. */
  oidc?: Pick<OidcExchangeDeps, 'issuers' | 'verify' | 'random'>;
  /** Namespaces (`*`: all) whose publishes must be signed keyless by the OIDC identity that publishes. */
  oidcIdentityRequired?: Readonly<Record<string, OidcIdentityMode>>;
}

/** What a publish must also pass, beyond signatures: where tarballs may come from, and the lint. */
export interface PublishPolicy {
  /** npm registries whose tarball URLs a manifest's tree may use (a private mirror, say). */
  npmRegistries: readonly string[];
  /** Refuse a publish whose lint findings reach this severity; 'none' only records them for curators. */
  refuseFindingsAt: Severity | 'none';
}

export const DEFAULT_PUBLISH_POLICY: PublishPolicy = {
  npmRegistries: DEFAULT_TREE_RULES.registries,
  refuseFindingsAt: 'none',
};

/** Findings kept per version: the worst first. */
const MAX_STORED_FINDINGS = 200;

function storedFindings(findings: readonly ScanFinding[]): RegistryFinding[] {
  return [...findings]
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity))
    .slice(0, MAX_STORED_FINDINGS)
    .map(({ rule, severity, item, path, message, excerpt }) => ({
      rule: rule.slice(0, 100),
      severity,
      item: item.slice(0, 2200),
      path: path.slice(0, 2000),
      message: message.slice(0, 2000),
      excerpt: excerpt.slice(0, 2000),
    }));
}

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
const notFound = (what: string) =>
  new McpLockError('NOT_FOUND', `${what} was not found`, {
    hint: 'Check the name and version; names are URL-encoded in paths (io.github.acme%2Fweather).',
  });

export class RegistryService {
  private readonly store: RegistryStore;
  private readonly verify: BundleVerifier;
  private readonly approvalSigner: ApprovalSigner;
  private readonly registryId: () => string;
  private readonly now: () => Date;
  private readonly publishLimits: PublishLimits;
  private readonly publishPolicy: PublishPolicy;
  private readonly tuf: TufRepository | undefined;
  private readonly curatorsRequired: Readonly<Record<string, number>>;
  private readonly oidc: RegistryServiceDeps['oidc'];
  private readonly oidcIdentityRequired: Readonly<Record<string, OidcIdentityMode>>;

  constructor(deps: RegistryServiceDeps) {
    this.store = deps.store;
    this.verify = deps.verify;
    this.approvalSigner = deps.approvalSigner;
    this.registryId = deps.registryId;
    this.now = deps.now ?? (() => new Date());
    this.publishLimits = deps.publishLimits ?? DEFAULT_PUBLISH_LIMITS;
    this.publishPolicy = deps.publishPolicy ?? DEFAULT_PUBLISH_POLICY;
    this.tuf = deps.tuf;
    this.curatorsRequired = deps.curatorsRequired ?? { '*': 1 };
    this.oidc = deps.oidc;
    this.oidcIdentityRequired = deps.oidcIdentityRequired ?? {};
  }

  private iso(): string {
    return this.now().toISOString();
  }

  // ── Authentication ────────────────────────────────────────────────────────────────────────────

  async authenticate(authorization: string | undefined): Promise<Principal> {
    const token = bearerToken(authorization);
    const record = await this.store.findTokenByHash(tokenHash(token));
    if (!record || record.revokedAt !== null) {
      throw new McpLockError('UNAUTHENTICATED', 'the registry token is unknown or revoked', {
        hint: 'Ask a registry admin for a token (`mcp-lock registry token create`).',
      });
    }
    if (record.expiresAt !== undefined && !(this.now().toISOString() < record.expiresAt)) {
      throw new McpLockError('UNAUTHENTICATED', 'the registry token has expired', {
        hint: 'Publish sessions from an OIDC exchange last minutes; exchange a fresh ID token (`publish --oidc`).',
      });
    }
    return principalOf(record);
  }

  /** No header: anonymous. A header: it must be valid (a bad token is never silently ignored). */
  async optionalPrincipal(authorization: string | undefined): Promise<Principal | null> {
    return authorization === undefined ? null : this.authenticate(authorization);
  }

  /** Exchange a CI's OIDC ID token for a short-lived publisher token (core/registry/oidc.ts). */
  async exchangeOidc(idToken: string): Promise<OidcSession> {
    if (!this.oidc || this.oidc.issuers.length === 0) {
      throw new McpLockError('UNAUTHENTICATED', 'this registry trusts no OIDC issuer', {
        hint: 'Use a registry token, or ask the operator to configure "oidcIssuers".',
      });
    }
    return exchangeOidcToken({ ...this.oidc, store: this.store, now: this.now }, idToken);
  }

  // ── Publish ───────────────────────────────────────────────────────────────────────────────────

  async publish(principal: Principal, body: Uint8Array): Promise<{ created: boolean; record: VersionRecord }> {
    authorize(principal, 'publish');
    const request = readPublishBody(body, this.publishLimits, { registries: this.publishPolicy.npmRegistries });
    const { name, version } = request.manifest.server;
    authorize(principal, 'publish', name);
    const namespace = namespaceOf(name);
    const identityMode = oidcIdentityModeFor(namespace, this.oidcIdentityRequired);
    assertOidcSessionAllowed(identityMode, principal, namespace);
    const signers = await this.store.listSigners(namespace);
    if (signers.length === 0) {
      throw new McpLockError('SIGNER_UNTRUSTED', `no signer is registered for the namespace ${namespace}`, {
        hint: 'A registry admin registers keys or identities with `mcp-lock registry signer add`.',
      });
    }
    const verified = await this.verify(request.bundle, trustFor(signers));
    verifyStatement(verified.payload, verified.payloadType, request.manifest, 'publisher');
    assertSignerIsPublisher(identityMode, principal, signerRef(verified.signer), namespace);
    const bundleBytes = Buffer.from(canonicalJson(request.bundle), 'utf8');
    // The lint runs on every publish: findings are stored for curators, and refuse it at the set severity.
    const findings = storedFindings(scanManifest(request.manifest));
    const threshold = this.publishPolicy.refuseFindingsAt;
    const refusing = threshold === 'none' ? [] : findings.filter((f) => severityAtLeast(f.severity, threshold));
    if (refusing.length > 0) {
      throw new McpLockError(
        'SCAN_FINDINGS',
        `${name}@${version} has ${refusing.length} lint finding(s) at ${threshold} or above; this registry refuses them`,
        {
          hint: 'Run `mcp-lock scan <manifest>` to see them; fix the definitions (or ask the registry admins) and publish again.',
          data: { findings: refusing.slice(0, 20) },
        },
      );
    }

    return this.store.transaction(async (tx) => {
      const existing = await tx.getVersion(name, version);
      if (decidePublish(existing, request.manifestDigest) === 'identical') {
        return { created: false, record: existing! };
      }
      assertNotLookalike(name, await tx.serverNames());
      if ((await tx.listVersions(name)).length >= MAX_VERSIONS_PER_SERVER) {
        throw new McpLockError('LIMIT_EXCEEDED', `${name} already has ${MAX_VERSIONS_PER_SERVER} versions`, {
          hint: 'Ask a registry admin to archive old versions.',
        });
      }
      const manifestBlob = await tx.putBlob(request.manifestBytes);
      const bundleBlob = await tx.putBlob(bundleBytes);
      const now = this.iso();
      const record: VersionRecord = {
        name,
        version,
        namespace,
        server: request.manifest.server,
        status: 'pending',
        statusReason: null,
        statusChangedAt: now,
        manifestDigest: request.manifestDigest,
        publishedAt: now,
        updatedAt: now,
        isLatest: false,
        signer: signerRef(verified.signer),
        approval: null,
        blobs: { manifest: manifestBlob, publisherBundle: bundleBlob, approvalBundle: null },
        publishedBy: principal.tokenId,
        publishedByName: principalName(principal),
        findings,
      };
      tx.putVersion(record);
      tx.appendAudit({
        at: now,
        action: 'publish',
        actor: actorOf(principal),
        name,
        version,
        namespace,
        digest: request.manifestDigest,
        details: signerDetails(record),
      });
      return { created: true, record };
    });
  }

  // ── Curation ──────────────────────────────────────────────────────────────────────────────────

  async curate(
    principal: Principal,
    name: string,
    version: string,
    action: CurationAction,
    reasonInput?: string,
  ): Promise<VersionRecord> {
    assertServerName(name);
    assertVersion(version);
    authorize(principal, 'curate', name);
    const reason = parseReason(action, reasonInput);
    return this.store.transaction(async (tx) => {
      const record = await tx.getVersion(name, version);
      if (!record) throw notFound(`${name}@${version}`);
      const target = nextStatus(record.status, action);
      if (target === null) return record;
      const now = this.iso();
      let approvals: CuratorApproval[] | undefined;
      if (action === 'approve') {
        const plan = planApproval(record, principal, curatorsRequiredFor(record.namespace, this.curatorsRequired), now);
        if (!plan.complete) return this.recordPartialApproval(tx, record, principal, plan, now);
        approvals = plan.approvals;
      }
      let updated: VersionRecord = {
        ...record,
        ...(approvals ? { approvals } : {}),
        status: target,
        statusReason: reason,
        statusChangedAt: now,
        updatedAt: now,
      };
      if (action === 'approve') updated = await this.countersign(tx, updated, principal, now);
      const siblings = (await tx.listVersions(name)).map((v) => (v.version === version ? updated : v));
      for (const changed of relabelLatest(siblings, now, version)) {
        tx.putVersion(changed);
        if (changed.version === version) updated = changed;
      }
      tx.appendAudit({
        at: now,
        action,
        actor: actorOf(principal),
        name,
        version,
        namespace: record.namespace,
        digest: record.manifestDigest,
        ...(reason ? { reason } : {}),
        details: { from: record.status, to: target },
      });
      // The signed state changes in the same transaction: acknowledged means signed.
      if (this.tuf) await this.tuf.republish(tx, [name]);
      return updated;
    });
  }

  /** A curator approved, and the namespace needs more: the version stays pending with the approval noted. */
  private recordPartialApproval(
    tx: StoreTx,
    record: VersionRecord,
    principal: Principal,
    plan: ApprovalPlan,
    now: string,
  ): VersionRecord {
    const updated: VersionRecord = { ...record, approvals: plan.approvals, updatedAt: now };
    tx.putVersion(updated);
    tx.appendAudit({
      at: now,
      action: 'approve',
      actor: actorOf(principal),
      name: record.name,
      version: record.version,
      namespace: record.namespace,
      digest: record.manifestDigest,
      details: { from: 'pending', to: 'pending', approvals: plan.approvals.length, required: plan.required },
    });
    return updated;
  }

  /** The registry's approval: an in-toto statement over the same manifest digest, signed with its key. */
  private async countersign(
    tx: StoreTx,
    record: VersionRecord,
    principal: Principal,
    now: string,
  ): Promise<VersionRecord> {
    const manifest = await this.storedManifest(tx, record);
    const curator = principal.label || principal.tokenId;
    const statement = buildStatement(manifest, 'approval', { registry: this.registryId(), approvedAt: now, curator });
    const bundle = await this.approvalSigner.sign(statementBytes(statement));
    const blob = await tx.putBlob(Buffer.from(canonicalJson(bundle), 'utf8'));
    return {
      ...record,
      approval: { keyId: this.approvalSigner.keyId, approvedAt: now, curator },
      blobs: { ...record.blobs, approvalBundle: blob },
    };
  }

  private async storedManifest(reader: StoreReader, record: VersionRecord): Promise<McpLockManifest> {
    const bytes = await this.blob(reader, record.blobs.manifest);
    if (`sha256:${sha256Hex(bytes)}` !== record.manifestDigest) {
      throw new McpLockError('STORAGE_ERROR', `the stored manifest of ${record.name}@${record.version} is corrupt`);
    }
    return parseStrictJson(bytes, 'stored manifest', MANIFEST_LIMITS) as unknown as McpLockManifest;
  }

  private async blob(reader: StoreReader, id: string): Promise<Uint8Array> {
    const bytes = await reader.getBlob(id);
    if (!bytes) throw new McpLockError('STORAGE_ERROR', `blob ${id.slice(0, 12)}… is missing from the store`);
    return bytes;
  }

  // ── Official API reads ────────────────────────────────────────────────────────────────────────

  async listServers(query: OfficialListQuery): Promise<Page<VersionRecord>> {
    const limit = pageLimit(query.limit);
    // Incremental sync must see deletions, so updated_since implies include_deleted (official rule).
    const includeDeleted = query.includeDeleted === true || query.updatedSince !== undefined;
    const q: VersionQuery = {
      statuses: includeDeleted ? LISTED_WITH_DELETED : LISTED_STATUSES,
      limit: limit + 1,
      ...this.commonFilters(query),
    };
    if (query.updatedSince !== undefined) q.updatedSince = normalizeInstant(query.updatedSince);
    if (query.version !== undefined) {
      q.version = query.version === 'latest' ? { latest: true } : { exact: query.version };
    }
    const records = await this.store.queryVersions(q);
    return pageOf(records, limit);
  }

  /** Every listed version of a server, newest publication first (official order). */
  async listServerVersions(name: string, includeDeleted: boolean): Promise<VersionRecord[]> {
    const statuses = includeDeleted ? LISTED_WITH_DELETED : LISTED_STATUSES;
    const versions = (await this.store.listVersions(name)).filter((v) => statuses.includes(v.status));
    if (versions.length === 0) throw notFound(`the server ${name}`);
    return versions.sort((a, b) =>
      a.publishedAt !== b.publishedAt ? (a.publishedAt < b.publishedAt ? 1 : -1) : -compareVersions(a, b),
    );
  }

  /** One version, or `latest`. Yanked versions stay readable directly, with their status. */
  async getServerVersion(name: string, version: string): Promise<VersionRecord> {
    if (version === 'latest') {
      const latest = pickLatest(await this.store.listVersions(name));
      if (!latest) throw notFound(`the server ${name}`);
      return latest;
    }
    const record = await this.store.getVersion(name, version);
    if (!record || !PUBLIC_STATUSES.includes(record.status)) throw notFound(`${name}@${version}`);
    return record;
  }

  // ── mcp-lock API reads ────────────────────────────────────────────────────────────────────────

  private canRead(principal: Principal | null, record: VersionRecord): boolean {
    if (PUBLIC_STATUSES.includes(record.status)) return true;
    return principal !== null && hasPermission(principal, 'read-private') && inScope(principal, record.name);
  }

  async version(principal: Principal | null, name: string, version: string): Promise<VersionRecord> {
    const record =
      version === 'latest' ? await this.getServerVersion(name, 'latest') : await this.store.getVersion(name, version);
    if (!record || !this.canRead(principal, record)) throw notFound(`${name}@${version}`);
    return record;
  }

  async versions(principal: Principal | null, name: string): Promise<VersionRecord[]> {
    const all = (await this.store.listVersions(name)).filter((v) => this.canRead(principal, v));
    if (all.length === 0) throw notFound(`the server ${name}`);
    return all.sort((a, b) => compareVersions(b, a));
  }

  async list(principal: Principal | null, query: OwnListQuery): Promise<Page<VersionRecord>> {
    const limit = pageLimit(query.limit);
    const statuses = query.statuses && query.statuses.length > 0 ? query.statuses : LISTED_STATUSES;
    return this.collect({ statuses, ...this.commonFilters(query) }, limit, (r) => this.canRead(principal, r));
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
    return { id, bytes: id === knownId ? null : await this.blob(this.store, id) };
  }

  async diff(principal: Principal | null, name: string, from: string, to: string): Promise<SurfaceChange[]> {
    const [a, b] = await Promise.all([this.version(principal, name, from), this.version(principal, name, to)]);
    const [ma, mb] = await Promise.all([this.storedManifest(this.store, a), this.storedManifest(this.store, b)]);
    return diffManifests(ma, mb);
  }

  /** Pending versions the curator may review, each with the version to diff it against. */
  async queue(
    principal: Principal,
    query: { cursor?: string; limit?: number },
  ): Promise<Page<{ record: VersionRecord; previousApproved: VersionRecord | null }>> {
    authorize(principal, 'curate');
    const limit = pageLimit(query.limit);
    const page = await this.collect(
      { statuses: ['pending'], ...this.commonFilters({ cursor: query.cursor }) },
      limit,
      (r) => inScope(principal, r.name),
    );
    const items = await Promise.all(
      page.items.map(async (record) => ({
        record,
        previousApproved: pickLatest(await this.store.listVersions(record.name)),
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
    const events = await this.store.readAudit({
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
    const signers = await this.store.listSigners(namespace);
    return signers.sort((a, b) => (a.addedAt < b.addedAt ? -1 : a.addedAt > b.addedAt ? 1 : a.id < b.id ? -1 : 1));
  }

  tufMetadataFile(file: string): Promise<Uint8Array> {
    return readTufMetadataFile(this.store, file);
  }

  tufTargetFile(dir: string, file: string): Promise<Uint8Array> {
    return readTufTargetFile(this.store, dir, file);
  }

  keys(): { keyId: string; publicKey: string }[] {
    return [{ keyId: this.approvalSigner.keyId, publicKey: this.approvalSigner.publicKeyPem }];
  }

  info(): { registry: string; apiVersion: string; keys: { keyId: string; publicKey: string }[] } {
    return { registry: this.registryId(), apiVersion: 'mcp-lock/v1', keys: this.keys() };
  }

  // ── helpers ──────────────────────────────────────────────────────────────────────────────────

  private commonFilters(query: { cursor?: string; search?: string }): Partial<VersionQuery> {
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

  /** Fill a page from the store, skipping records `keep` refuses, without loading everything at once. */
  private async collect(
    base: Omit<VersionQuery, 'limit'>,
    limit: number,
    keep: (record: VersionRecord) => boolean,
  ): Promise<Page<VersionRecord>> {
    const out: VersionRecord[] = [];
    let after = base.after;
    for (let round = 0; round < 1000; round++) {
      const batch = await this.store.queryVersions({ ...base, ...(after ? { after } : {}), limit: 200 });
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

function pageOf(records: VersionRecord[], limit: number): Page<VersionRecord> {
  const items = records.slice(0, limit);
  const last = items.at(-1);
  return records.length > limit && last
    ? { items, nextCursor: encodeCursor({ name: last.name, version: last.version }) }
    : { items };
}

/**
 * Recompute which version is latest after one changed. Returns the records to write: the changed one,
 * and any whose isLatest flipped (their updatedAt moves too, so incremental sync sees the flip).
 */
export function relabelLatest(versions: readonly VersionRecord[], now: string, changed: string): VersionRecord[] {
  const latest = pickLatest(versions);
  const out: VersionRecord[] = [];
  for (const v of versions) {
    const isLatest = latest !== null && v.version === latest.version;
    if (v.isLatest !== isLatest) out.push({ ...v, isLatest, updatedAt: now });
    else if (v.version === changed) out.push(v);
  }
  return out;
}

function actorOf(principal: Principal): AuditActor {
  return { type: 'token', tokenId: principal.tokenId, role: principal.role, label: principal.label };
}

function signerDetails(record: VersionRecord): Record<string, string> {
  return record.signer.type === 'key'
    ? { signer: 'key', keyId: record.signer.keyId }
    : { signer: 'keyless', identity: record.signer.identity, issuer: record.signer.issuer };
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
