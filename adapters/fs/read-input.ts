// Reading user-named input files with a size cap and errors that say which file and what to do.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { McpLockError } from '../../core/errors.ts';

/** Read a whole file, refusing anything larger than maxBytes (checked before reading all of it). */
export function readInputFile(path: string, what: string, maxBytes = 32 * 1024 * 1024): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new McpLockError('FILE_NOT_FOUND', `${what} not found: ${path}`, { hint: 'Check the path.' });
    }
    throw new McpLockError('FILE_UNREADABLE', `cannot read ${what} ${path}: ${code ?? String(error)}`, {
      cause: error,
    });
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new McpLockError('FILE_UNREADABLE', `${what} ${path} is not a regular file`);
    if (stat.size > maxBytes) {
      throw new McpLockError('JSON_TOO_LARGE', `${what} ${path} is larger than ${maxBytes} bytes`, {
        hint: 'Inputs are size-capped; check that this is the file you meant.',
      });
    }
    const buffer = Buffer.alloc(stat.size);
    let offset = 0;
    while (offset < stat.size) {
      const n = readSync(fd, buffer, offset, stat.size - offset, offset);
      if (n === 0) break;
      offset += n;
    }
    return buffer.subarray(0, offset);
  } finally {
    closeSync(fd);
  }
}
