// Writing one message as one line. Both sides of the proxy frame messages with a newline. Writes made
// while one chunk is handled are coalesced (cork now, uncork after the current callback), so a forwarded
// line and its newline, and a chunk of pipelined messages, go out in one system call (writev) on the
// other side, not one per message, and a forwarded line is never copied to append its newline. (Reusing
// the newline that follows the line in the chunk it was read from would save the second iovec, but a
// small Buffer may live in Node's shared pool, where the byte after it belongs to someone else.)

import type { Writable } from 'node:stream';
import type { RawLine } from '../../core/guard/guard.ts';

const NEWLINE = Buffer.from('\n');

/** Writes to one stream, coalesced per turn of the event loop. */
export class CoalescingWriter {
  private readonly stream: Writable;
  private corked = false;
  private readonly uncork = () => {
    this.corked = false;
    this.stream.uncork();
  };

  constructor(stream: Writable) {
    this.stream = stream;
  }

  /** False when the stream is buffering past its high-water mark (wait for 'drain'). */
  write(line: RawLine): boolean {
    if (!this.corked) {
      this.corked = true;
      this.stream.cork();
      process.nextTick(this.uncork);
    }
    if (typeof line === 'string') return this.stream.write(Buffer.from(`${line}\n`, 'utf8'));
    this.stream.write(line);
    return this.stream.write(NEWLINE);
  }
}
