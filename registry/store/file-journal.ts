// The embedded store's commit journal: one JSON line per committed transaction (the records it wrote),
// appended and fsynced, so a commit costs the size of its change rather than a rewrite of all state.
// Entries are numbered without gaps; the snapshot (state.json) names the last entry it contains, so after
// a compaction (snapshot replaced, then journal emptied) a crash between the two leaves only entries the
// snapshot already holds, which are skipped. A line is committed once it is whole (ends in a newline and
// parses): a torn last line is a crash mid-append, ignored by readers and cut off by the next writer.

import { open, truncate } from 'node:fs/promises';
import { McpLockError } from '../../core/errors.ts';
import { parseStrictJson } from '../../core/json/strict-json.ts';
import type { SignerRecord, VersionRecord } from '../../core/registry/records.ts';
import type { TokenRecord } from '../../core/registry/tokens.ts';
import type { TufRole } from '../../core/registry/tuf/metadata.ts';

export type JournalOp =
  | { op: 'version'; record: VersionRecord }
  | { op: 'token'; record: TokenRecord }
  | { op: 'signer'; record: SignerRecord }
  | { op: 'signer-removed'; namespace: string; id: string }
  /** A TUF metadata version's blob, or null when the version is dropped. */
  | { op: 'tuf'; role: TufRole; version: number; blob: string | null };

export interface JournalEntry {
  n: number;
  /** The audit sequence number after this commit. */
  auditSeq: number;
  ops: JournalOp[];
}

/** A journal beyond this is not read (compaction keeps it far smaller). */
export const JOURNAL_MAX_BYTES = 1024 * 1024 * 1024;
const LINE_LIMITS = { maxBytes: 256 * 1024 * 1024, maxDepth: 128 };
const OPS = new Set(['version', 'token', 'signer', 'signer-removed', 'tuf']);

function parseEntry(line: string): JournalEntry | undefined {
  try {
    const v = parseStrictJson(line, 'journal entry', LINE_LIMITS) as {
      n?: unknown;
      auditSeq?: unknown;
      ops?: unknown;
    };
    if (!Number.isSafeInteger(v?.n) || !Number.isSafeInteger(v.auditSeq) || !Array.isArray(v.ops)) return undefined;
    if (!v.ops.every((op) => OPS.has((op as { op?: string })?.op ?? ''))) return undefined;
    return v as unknown as JournalEntry;
  } catch {
    return undefined;
  }
}

export interface JournalRead {
  entries: JournalEntry[];
  /** Byte offset just past the last whole entry. */
  end: number;
  /** Bytes after `end` that are not a whole entry (a torn append). */
  torn: boolean;
}

/** Whole entries from byte `from` on. A damaged line followed by whole ones is damage, not a torn tail. */
export async function readJournal(path: string, from: number, size: number): Promise<JournalRead> {
  if (size > JOURNAL_MAX_BYTES) {
    throw new McpLockError('STORAGE_ERROR', `${path} is larger than ${JOURNAL_MAX_BYTES} bytes`, {
      hint: 'Compaction did not run; start the registry once with write access so it compacts the journal.',
    });
  }
  const out: JournalRead = { entries: [], end: from, torn: false };
  if (size <= from) return out;
  const fh = await open(path, 'r');
  let buf: Buffer;
  try {
    buf = Buffer.alloc(size - from);
    const { bytesRead } = await fh.read(buf, 0, buf.length, from);
    buf = buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  let start = 0;
  for (let nl = buf.indexOf(0x0a); nl !== -1; nl = buf.indexOf(0x0a, start)) {
    const entry = parseEntry(buf.subarray(start, nl).toString('utf8'));
    if (!entry) {
      out.torn = true;
      break;
    }
    out.entries.push(entry);
    start = nl + 1;
    out.end = from + start;
  }
  if (out.end < from + buf.length) out.torn = true;
  if (out.torn && buf.indexOf(0x0a, out.end - from) !== -1 && hasWholeLineAfter(buf, out.end - from)) {
    throw new McpLockError('STORAGE_ERROR', `${path} is damaged (an unreadable entry before others)`, {
      hint: 'The file was changed outside mcp-lock or the disk is damaged; restore the data directory from a backup.',
    });
  }
  return out;
}

/** Whether a whole entry follows the first line at `offset` (so that line is not a torn tail). */
function hasWholeLineAfter(buf: Buffer, offset: number): boolean {
  let start = buf.indexOf(0x0a, offset) + 1;
  for (let nl = buf.indexOf(0x0a, start); nl !== -1; nl = buf.indexOf(0x0a, start)) {
    if (parseEntry(buf.subarray(start, nl).toString('utf8'))) return true;
    start = nl + 1;
  }
  return false;
}

/** Append one entry and make it durable: the commit point of a transaction. Returns the bytes written. */
export async function appendJournal(path: string, entry: JournalEntry): Promise<number> {
  const line = Buffer.from(`${JSON.stringify(entry)}\n`, 'utf8');
  const fh = await open(path, 'a', 0o600);
  try {
    await fh.appendFile(line);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return line.length;
}

/** Cut off a torn tail (what a writer killed mid-append left) before appending after it. */
export async function cutJournal(path: string, end: number): Promise<void> {
  try {
    await truncate(path, end);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // nothing was written at all
    throw error;
  }
  const fh = await open(path, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
