// What the registry stores: one record per published version (its status, who signed it, who approved it,
// where its bytes are), the signers registered per namespace, and the audit events of every write.
// Records are plain JSON so any store (files, PostgreSQL) can hold them unchanged.

import type { Digest } from '../canonical/digest.ts';
import type { ServerDetail } from '../generated/manifest.ts';
import type { Severity } from '../scan/severity.ts';
import type { VersionStatus } from './status.ts';
import type { Role } from './tokens.ts';

/** A key signer carries its public key (SPKI PEM) so consumers can pin it on first use. */
export type SignerRef =
  | { type: 'key'; keyId: string; publicKey?: string }
  | { type: 'keyless'; identity: string; issuer: string };

export interface ApprovalRef {
  keyId: string;
  approvedAt: string;
  curator: string;
}

/** A lint finding stored with a version (`mcp-lock scan` rules), shown to curators. */
export interface RegistryFinding {
  rule: string;
  severity: Severity;
  item: string;
  path: string;
  message: string;
  /** Raw text around the match: display it escaped, with hidden characters made visible. */
  excerpt: string;
}

/** One curator's approval of a pending version (a namespace may need several distinct curators). */
export interface CuratorApproval {
  tokenId: string;
  curator: string;
  at: string;
}

export interface VersionRecord {
  name: string;
  version: string;
  namespace: string;
  /** The manifest's `server` part (official server.json), served by the official API as is. */
  server: ServerDetail;
  status: VersionStatus;
  statusReason: string | null;
  statusChangedAt: string;
  /** `sha256:<hex>` of the canonical manifest: what both signatures bind. */
  manifestDigest: Digest;
  publishedAt: string;
  updatedAt: string;
  isLatest: boolean;
  signer: SignerRef;
  approval: ApprovalRef | null;
  /** Content-addressed blob ids (hex sha256 of the stored bytes). */
  blobs: { manifest: string; publisherBundle: string; approvalBundle: string | null };
  publishedBy: string;
  /** Who published (the token's label, or the token id): the two-person rule compares it to curators. */
  publishedByName?: string;
  /** Curators who approved so far, while more are needed; kept once approved. */
  approvals?: CuratorApproval[];
  /** The lint's findings at publish time (absent in records stored before the registry scanned). */
  findings?: RegistryFinding[];
}

export type SignerRecord =
  | { id: string; namespace: string; type: 'key'; keyId: string; publicKey: string; label: string; addedAt: string }
  | {
      id: string;
      namespace: string;
      type: 'keyless';
      identity: string;
      issuer: string;
      label: string;
      addedAt: string;
    };

export type AuditAction =
  | 'publish'
  | 'approve'
  | 'reject'
  | 'deprecate'
  | 'yank'
  | 'token.create'
  | 'token.revoke'
  | 'signer.add'
  | 'signer.remove'
  | 'key.create'
  | 'tx.aborted';

export type AuditActor =
  | { type: 'token'; tokenId: string; role: Role; label: string }
  | { type: 'local'; tool: string };

export interface AuditEvent {
  seq: number;
  at: string;
  action: AuditAction;
  actor: AuditActor;
  name?: string;
  version?: string;
  namespace?: string;
  digest?: string;
  reason?: string;
  /** Small, non-secret details (a token's id and role, a signer's key id). */
  details?: Record<string, string | number | boolean | null | string[]>;
}

export type NewAuditEvent = Omit<AuditEvent, 'seq'>;

/** The key that orders versions in listings and cursors: name, then version (UTF-16 order). */
export function compareKeys(a: { name: string; version: string }, b: { name: string; version: string }): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.version !== b.version) return a.version < b.version ? -1 : 1;
  return 0;
}
