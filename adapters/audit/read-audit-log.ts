// Reading an audit log for `mcp-lock audit`: streamed in fixed-size chunks and split into lines, so a log
// of any size is read in constant memory. A line longer than MAX_LINE_BYTES is skipped (counted, never
// buffered whole); a line that is not a JSON object is counted as unreadable; a last line without its
// newline that does not parse is a torn write (a crash mid-record) and counted as such. The whole read
// is capped at MAX_LOG_BYTES, so pointing --file at a device or a huge file ends with an error, not a hang.
// A rotated log (<file>.1) is read first when it exists, so the summary covers both.

import { open, stat } from 'node:fs/promises';
import { McpLockError } from '../../core/errors.ts';

export const MAX_LINE_BYTES = 1024 * 1024;
export const MAX_LOG_BYTES = 512 * 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

export interface ReadStats {
  files: string[];
  bytes: number;
  lines: number;
  oversized: number;
  unreadable: number;
  torn: number;
}

export function emptyReadStats(): ReadStats {
  return { files: [], bytes: 0, lines: 0, oversized: 0, unreadable: 0, torn: 0 };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The files a log consists of, oldest first: the rotated one (if any), then the current one. */
export async function logFiles(path: string): Promise<string[]> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new McpLockError('FILE_NOT_FOUND', `no audit log at ${path}`, {
      hint: '`mcp-lock run <name>` writes .mcp-lock/audit/<name>.jsonl; pass --file for a log elsewhere.',
    });
  }
  if (!info.isFile()) {
    throw new McpLockError('FILE_UNREADABLE', `${path} is not a regular file`, {
      hint: 'Pass the path of an audit log (a .jsonl file) with --file.',
    });
  }
  return (await isFile(`${path}.1`)) ? [`${path}.1`, path] : [path];
}

/** Stream every record of one file into `each`, counting what could not be read into `stats`. */
export async function readAuditFile(
  path: string,
  each: (record: Record<string, unknown>) => void,
  stats: ReadStats,
): Promise<void> {
  const handle = await open(path, 'r').catch((error: Error) => {
    throw new McpLockError('FILE_UNREADABLE', `cannot read ${path}: ${error.message}`);
  });
  stats.files.push(path);
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let parts: Buffer[] = [];
  let partBytes = 0;
  let skipping = false;
  const line = (bytes: Buffer, last: boolean) => {
    stats.lines += 1;
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch {
      if (last) stats.torn += 1;
      else stats.unreadable += 1;
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) stats.unreadable += 1;
    else each(value as Record<string, unknown>);
  };
  try {
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      stats.bytes += bytesRead;
      if (stats.bytes > MAX_LOG_BYTES) {
        throw new McpLockError('LIMIT_EXCEEDED', `the audit log is larger than ${MAX_LOG_BYTES} bytes`, {
          hint: '`run` rotates its log at 32 MiB; summarise a smaller file.',
        });
      }
      let start = 0;
      for (let nl = chunk.indexOf(NEWLINE, 0); nl !== -1 && nl < bytesRead; nl = chunk.indexOf(NEWLINE, start)) {
        if (skipping) skipping = false;
        else if (partBytes + nl - start > MAX_LINE_BYTES) stats.oversized += 1;
        else {
          const piece = chunk.subarray(start, nl);
          const whole = partBytes === 0 ? piece : Buffer.concat([...parts, piece]);
          if (whole.length > 0) line(whole, false);
        }
        parts = [];
        partBytes = 0;
        start = nl + 1;
      }
      if (start < bytesRead && !skipping) {
        const rest = bytesRead - start;
        if (partBytes + rest > MAX_LINE_BYTES) {
          // Too long to be a record: drop what we have and skip to the next newline.
          stats.oversized += 1;
          skipping = true;
          parts = [];
          partBytes = 0;
        } else {
          parts.push(Buffer.from(chunk.subarray(start, bytesRead)));
          partBytes += rest;
        }
      }
    }
    if (partBytes > 0) line(Buffer.concat(parts), true);
  } finally {
    await handle.close();
  }
}
