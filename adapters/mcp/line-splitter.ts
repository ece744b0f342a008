// Newline-delimited framing for MCP's stdio transport (one JSON-RPC message per line), with a hard cap on
// the size of one message so a server that never sends a newline cannot exhaust memory.

import { McpLockError } from '../../core/errors.ts';

export class LineSplitter {
  private chunks: Buffer[] = [];
  private size = 0;
  private readonly maxLineBytes: number;
  private readonly keepEmpty: boolean;

  /** keepEmpty: also return empty lines (SSE uses them to end an event). */
  constructor(maxLineBytes: number, keepEmpty = false) {
    this.maxLineBytes = maxLineBytes;
    this.keepEmpty = keepEmpty;
  }

  /** Feed bytes; returns the complete lines they finish (without the newline, without a trailing \r). */
  push(chunk: Buffer): Buffer[] {
    const lines: Buffer[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      const piece = chunk.subarray(start, nl);
      this.size += piece.length;
      this.checkSize();
      this.chunks.push(piece);
      let line = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
      if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
      this.chunks = [];
      this.size = 0;
      if (line.length > 0 || this.keepEmpty) lines.push(line);
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      this.size += rest.length;
      this.checkSize();
      this.chunks.push(rest);
    }
    return lines;
  }

  /** Bytes buffered without a newline yet. */
  get pending(): number {
    return this.size;
  }

  private checkSize(): void {
    if (this.size > this.maxLineBytes) {
      throw new McpLockError('LIMIT_EXCEEDED', `a message is larger than ${this.maxLineBytes} bytes`, {
        hint: 'An oversized message is refused rather than buffered; raise the limit (--max-message-bytes) only for a peer you trust.',
        data: { maxLineBytes: this.maxLineBytes },
      });
    }
  }
}
