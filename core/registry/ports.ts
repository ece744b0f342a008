// The registry's ports: the store (embedded files today, PostgreSQL later), the bundle verifier and the
// approval signer. The service in this folder talks only to these interfaces; adapters implement them.

import type { AuditEvent, NewAuditEvent, SignerRecord, VersionRecord } from './records.ts';
import type { VersionStatus } from './status.ts';
import type { TokenRecord } from './tokens.ts';
import type { TufRole } from './tuf/metadata.ts';

export interface VersionQuery {
  statuses: readonly VersionStatus[];
  /** Case-insensitive substring of the name or description. */
  search?: string;
  /** Only records with updatedAt strictly after this RFC 3339 instant. */
  updatedSince?: string;
  /** An exact version, or only each server's latest version. */
  version?: { exact: string } | { latest: true };
  /** Only these servers (exact names). */
  names?: readonly string[];
  /** Start after this key (exclusive), in name-then-version order. */
  after?: { name: string; version: string };
  limit: number;
}

export interface AuditQuery {
  /** Events with seq greater than this. */
  after?: number;
  action?: string;
  name?: string;
  limit: number;
}

export interface StoreReader {
  getVersion(name: string, version: string): Promise<VersionRecord | undefined>;
  /** Every version of one server, any status, in no particular order. */
  listVersions(name: string): Promise<VersionRecord[]>;
  /** Matching records in name-then-version order. */
  queryVersions(query: VersionQuery): Promise<VersionRecord[]>;
  /** Every server name that has at least one version (for look-alike checks). */
  serverNames(): Promise<string[]>;
  findTokenByHash(hash: string): Promise<TokenRecord | undefined>;
  listTokens(): Promise<TokenRecord[]>;
  listSigners(namespace?: string): Promise<SignerRecord[]>;
  getBlob(id: string): Promise<Uint8Array | undefined>;
  /** The registry's signed TUF metadata of a role: one version, or the newest when `version` is omitted. */
  getTufMetadata(role: TufRole, version?: number): Promise<Uint8Array | undefined>;
}

/** Writes happen inside a transaction: serialized, all-or-nothing, audit events included. */
export interface StoreTx extends StoreReader {
  putVersion(record: VersionRecord): void;
  /** Store bytes content-addressed; returns the blob id (hex sha256). */
  putBlob(bytes: Uint8Array): Promise<string>;
  putToken(record: TokenRecord): void;
  putSigner(record: SignerRecord): void;
  removeSigner(namespace: string, id: string): void;
  appendAudit(event: NewAuditEvent): void;
  /** Keep a role's metadata version (every root; the recent versions of the others, enough for readers). */
  putTufMetadata(role: TufRole, version: number, bytes: Uint8Array): Promise<void>;
}

export interface RegistryStore extends StoreReader {
  /** Run `fn` with exclusive write access; its writes commit when it resolves and vanish when it throws. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  readAudit(query: AuditQuery): Promise<AuditEvent[]>;
  close(): Promise<void>;
}

export interface BundleTrust {
  keys: { keyId?: string; publicKey: string }[];
  identities: { identity: string; issuer: string }[];
}

/** What a verified bundle tells: who signed, and the signed payload (not yet checked against anything). */
export interface VerifiedSignature {
  signer: { type: 'key'; keyId: string; publicKey?: string } | { type: 'keyless'; identity: string; issuer: string };
  payload: Uint8Array;
  payloadType: string;
}

/** Verify a Sigstore bundle offline against the given signers (adapters/sigstore/verify.ts). */
export type BundleVerifier = (
  bundleJson: unknown,
  trust: BundleTrust,
) => VerifiedSignature | Promise<VerifiedSignature>;

/** The registry's own approval key: signs an in-toto statement, returns a bundle JSON. */
export interface ApprovalSigner {
  keyId: string;
  publicKeyPem: string;
  sign(payload: Buffer): Promise<unknown>;
}
