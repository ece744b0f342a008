// The embedded store's audit log: an append-only JSON-lines file, fsynced on every append. An event is
// committed only once the state names its sequence number (the journal line is the commit point), so
// lines past that number are the residue of a crash between the append and the state write: readers
// skip them, and the next writer cuts them off (together with a torn last line) before it appends.

import { open, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncDir } from '../../adapters/fs/atomic-write.ts';
import { McpLockError } from '../../core/errors.ts';
import { parseStrictJson } from '../../core/json/strict-json.ts';
import type { AuditQuery } from '../../core/registry/ports.ts';
import type { AuditEvent } from '../../core/registry/records.ts';

const AUDIT_MAX_BYTES = 256 * 1024 * 1024;
const LINE_LIMITS = { maxBytes: 1024 * 1024, maxDepth: 8 };

function parseAuditLine(line: string): AuditEvent | undefined {
  if (line.trim() === '') return undefined;
  try {
    const value = parseStrictJson(line, 'audit entry', LINE_LIMITS) as unknown as AuditEvent;
    return typeof value?.seq === 'number' && typeof value.action === 'string' ? value : undefined;
  } catch {
    return undefined; // a torn line from a crash
  }
}

async function openIfPresent(path: string, flags: string) {
  try {
    return await open(path, flags);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new McpLockError('STORAGE_ERROR', 'cannot open the audit log', { cause: error });
  }
}

interface TailLine {
  offset: number;
  event: AuditEvent | undefined;
}

/** Walk lines from the end, newest first, until `stop` says so; windows grow so any line fits. */
async function scanTail(path: string, stop: (line: TailLine) => boolean): Promise<TailLine | undefined> {
  const fh = await openIfPresent(path, 'r');
  if (!fh) return undefined;
  try {
    const { size } = await fh.stat();
    let window = 64 * 1024;
    for (;;) {
      const start = Math.max(0, size - window);
      const buf = Buffer.alloc(size - start);
      await fh.read(buf, 0, buf.length, start);
      const ends: number[] = [];
      for (let i = buf.indexOf(0x0a); i !== -1; i = buf.indexOf(0x0a, i + 1)) ends.push(i);
      // Line starts within the window; the first is only a whole line when the window reaches the start.
      const starts = [start === 0 ? 0 : undefined, ...ends.map((e) => e + 1)];
      for (let i = starts.length - 1; i >= 0; i--) {
        const from = starts[i];
        if (from === undefined || from >= buf.length) continue;
        const to = i < ends.length ? ends[i]! : buf.length;
        const line: TailLine = { offset: start + from, event: parseAuditLine(buf.subarray(from, to).toString('utf8')) };
        if (stop(line)) return line;
      }
      if (start === 0) return undefined;
      window *= 4;
    }
  } finally {
    await fh.close();
  }
}

/** The highest sequence number in the log (for data written before the state recorded it). */
export async function lastAuditSeq(path: string): Promise<number> {
  return (await scanTail(path, (line) => line.event !== undefined))?.event?.seq ?? 0;
}

/** Cut off everything after the last committed event: uncommitted events and torn lines. */
export async function truncateUncommitted(path: string, committedSeq: number): Promise<void> {
  let cut: number | undefined;
  await scanTail(path, (line) => {
    if (line.event !== undefined && line.event.seq <= committedSeq) return true;
    cut = line.offset;
    return false;
  });
  if (cut === undefined) return;
  const fh = await open(path, 'r+');
  try {
    await fh.truncate(cut);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Append events as whole lines and make them durable. */
export async function appendAuditEvents(path: string, events: AuditEvent[]): Promise<void> {
  const fh = await open(path, 'a', 0o600);
  try {
    await fh.appendFile(events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fsyncDir(dirname(path));
}

/** Committed events matching the query, oldest first. */
export async function readAuditEvents(path: string, query: AuditQuery, committedSeq: number): Promise<AuditEvent[]> {
  let text: string;
  try {
    const info = await stat(path);
    if (info.size > AUDIT_MAX_BYTES) {
      throw new McpLockError('LIMIT_EXCEEDED', 'the audit log is too large to query here', {
        hint: 'Rotate audit.jsonl (it is plain JSON lines) and archive the old part.',
      });
    }
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: AuditEvent[] = [];
  for (const line of text.split('\n')) {
    const event = parseAuditLine(line);
    if (!event || event.seq > committedSeq) continue;
    if (query.after !== undefined && event.seq <= query.after) continue;
    if (query.action !== undefined && event.action !== query.action) continue;
    if (query.name !== undefined && event.name !== query.name) continue;
    out.push(event);
    if (out.length >= query.limit) break;
  }
  return out;
}
