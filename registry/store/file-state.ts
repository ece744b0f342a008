// The embedded store's committed state in memory, and its snapshot file (state.json): what the journal's
// entries are applied to. A snapshot names the last journal entry it holds (`logSeq`) and the audit
// sequence number of its last commit. Format 1 (before the journal) is still read; format 2 is written.

import { McpLockError } from '../../core/errors.ts';
import { parseStrictJson } from '../../core/json/strict-json.ts';
import { compareKeys, type SignerRecord, type VersionRecord } from '../../core/registry/records.ts';
import type { TokenRecord } from '../../core/registry/tokens.ts';
import { TUF_ROLES, type TufRole } from '../../core/registry/tuf/metadata.ts';
import { VersionIndex } from './file-index.ts';
import type { JournalOp } from './file-journal.ts';

const STATE_LIMITS = { maxBytes: 1024 * 1024 * 1024, maxDepth: 128 };
const BLOB_ID = /^[0-9a-f]{64}$/;

/** Per role, version → blob id of the signed metadata bytes. */
export type TufIndex = Record<TufRole, Map<number, string>>;

export interface State {
  versions: VersionIndex;
  tokens: Map<string, TokenRecord>;
  signers: Map<string, SignerRecord>;
  tuf: TufIndex;
  /** The sequence number of the last committed audit event (absent in state written before it was kept). */
  auditSeq?: number;
  /** The last journal entry applied. */
  logSeq: number;
}

export const signerKey = (namespace: string, id: string) => `${namespace}\n${id}`;

/** No state file means nothing was ever committed: audit lines without one are a crashed first write. */
export function emptyState(): State {
  return {
    versions: new VersionIndex(),
    tokens: new Map(),
    signers: new Map(),
    tuf: { root: new Map(), targets: new Map(), snapshot: new Map(), timestamp: new Map() },
    auditSeq: 0,
    logSeq: 0,
  };
}

export function applyOps(state: State, ops: readonly JournalOp[]): void {
  for (const op of ops) {
    if (op.op === 'version') state.versions.put(op.record);
    else if (op.op === 'token') state.tokens.set(op.record.id, op.record);
    else if (op.op === 'signer') state.signers.set(signerKey(op.record.namespace, op.record.id), op.record);
    else if (op.op === 'signer-removed') state.signers.delete(signerKey(op.namespace, op.id));
    else if (op.blob === null) state.tuf[op.role].delete(op.version);
    else state.tuf[op.role].set(op.version, op.blob);
  }
}

export function serializeSnapshot(state: State): string {
  return `${JSON.stringify({
    formatVersion: 2,
    auditSeq: state.auditSeq ?? 0,
    logSeq: state.logSeq,
    versions: state.versions.all(),
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

export function parseSnapshot(bytes: Uint8Array, path: string): State {
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
    logSeq?: unknown;
    versions?: unknown;
    tokens?: unknown;
    signers?: unknown;
    tuf?: unknown;
  };
  const seqOk = v?.auditSeq === undefined || (Number.isSafeInteger(v.auditSeq) && (v.auditSeq as number) >= 0);
  const logOk = v?.logSeq === undefined || (Number.isSafeInteger(v.logSeq) && (v.logSeq as number) >= 0);
  if (
    (v?.formatVersion !== 1 && v?.formatVersion !== 2) ||
    !seqOk ||
    !logOk ||
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
  state.logSeq = (v.logSeq as number | undefined) ?? 0;
  state.versions.load(v.versions as VersionRecord[]);
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
