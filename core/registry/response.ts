// How a stored version reads in the API: the official ServerResponse (server.json plus the official
// `_meta` block and ours), and mcp-lock's VersionInfo with every fact whatever the status.

import type { ServerDetail } from '../generated/manifest.ts';
import { OFFICIAL_META_KEY, REGISTRY_META_KEY } from './api-schema.ts';
import type { ApprovalRef, RegistryFinding, SignerRef, VersionRecord } from './records.ts';
import { officialStatus, type VersionStatus } from './status.ts';

export interface OfficialMeta {
  status: 'active' | 'deprecated' | 'deleted';
  statusMessage?: string;
  publishedAt: string;
  updatedAt: string;
  isLatest: boolean;
}

export interface RegistryMeta {
  status: VersionStatus;
  statusReason?: string;
  /** When the status last changed (ours, not the official block's: it carries only the official fields). */
  statusChangedAt: string;
  manifestDigest: string;
  publishedAt: string;
  updatedAt: string;
  signer: SignerRef;
  approval: ApprovalRef | null;
}

export interface ServerResponse {
  server: ServerDetail;
  _meta: { [OFFICIAL_META_KEY]: OfficialMeta; [REGISTRY_META_KEY]: RegistryMeta };
}

export interface VersionInfo {
  name: string;
  version: string;
  status: VersionStatus;
  statusReason: string | null;
  statusChangedAt: string;
  manifestDigest: string;
  publishedAt: string;
  updatedAt: string;
  isLatest: boolean;
  signer: SignerRef;
  approval: ApprovalRef | null;
  server: ServerDetail;
  /** Lint findings recorded at publish (empty when clean, or published before the registry scanned). */
  findings: RegistryFinding[];
}

export function toServerResponse(record: VersionRecord): ServerResponse {
  const official: OfficialMeta = {
    status: officialStatus(record.status),
    ...(record.statusReason && record.status !== 'approved' ? { statusMessage: record.statusReason } : {}),
    publishedAt: record.publishedAt,
    updatedAt: record.updatedAt,
    isLatest: record.isLatest,
  };
  const ours: RegistryMeta = {
    status: record.status,
    ...(record.statusReason ? { statusReason: record.statusReason } : {}),
    statusChangedAt: record.statusChangedAt,
    manifestDigest: record.manifestDigest,
    publishedAt: record.publishedAt,
    updatedAt: record.updatedAt,
    signer: record.signer,
    approval: record.approval,
  };
  return { server: record.server, _meta: { [OFFICIAL_META_KEY]: official, [REGISTRY_META_KEY]: ours } };
}

export function toVersionInfo(record: VersionRecord): VersionInfo {
  return {
    name: record.name,
    version: record.version,
    status: record.status,
    statusReason: record.statusReason,
    statusChangedAt: record.statusChangedAt,
    manifestDigest: record.manifestDigest,
    publishedAt: record.publishedAt,
    updatedAt: record.updatedAt,
    isLatest: record.isLatest,
    signer: record.signer,
    approval: record.approval,
    server: record.server,
    findings: record.findings ?? [],
  };
}
