// The client side of `mcp-lock run`: the MCP client launched us, so its messages arrive on our stdin and
// ours go to our stdout, one JSON-RPC message per line. Nothing else is ever written to stdout.

import type { Readable, Writable } from 'node:stream';
import { McpLockError } from '../../core/errors.ts';
import type { RawLine } from '../../core/guard/guard.ts';
import { LineSplitter } from '../mcp/line-splitter.ts';
import { CoalescingWriter } from './framing.ts';

export interface ClientHandlers {
  message(line: Buffer): void;
  /**
   * The client closed its end, or sent something the transport cannot carry (then `error` says what: a
   * line over the size limit is LIMIT_EXCEEDED, and nothing more is read from the client).
   */
  closed(reason: string | null, error?: McpLockError): void;
}

export class StdioClient {
  private readonly input: Readable;
  private readonly output: Writable;
  private readonly writer: CoalescingWriter;
  private readonly maxMessageBytes: number;
  private closed = false;
  private outputBroken = false;
  private handlers: ClientHandlers | null = null;

  constructor(input: Readable, output: Writable, maxMessageBytes: number) {
    this.input = input;
    this.output = output;
    this.writer = new CoalescingWriter(output);
    this.maxMessageBytes = maxMessageBytes;
  }

  start(handlers: ClientHandlers): void {
    this.handlers = handlers;
    const splitter = new LineSplitter(this.maxMessageBytes);
    this.input.on('data', (chunk: Buffer) => {
      if (this.closed) return;
      let lines: Buffer[];
      try {
        lines = splitter.push(chunk);
      } catch (error) {
        if (error instanceof McpLockError) this.close(error.message, error);
        else this.close(String(error));
        return;
      }
      for (const line of lines) {
        if (this.closed) return;
        handlers.message(line);
      }
    });
    this.input.once('end', () => this.close(null));
    this.input.once('error', (error) => this.close(error.message));
    this.output.on('error', () => {
      this.outputBroken = true;
      this.close(null);
    });
  }

  private close(reason: string | null, error?: McpLockError): void {
    if (this.closed) return;
    this.closed = true;
    this.input.pause();
    this.handlers?.closed(reason, error);
  }

  /**
   * Write one message; false when stdout is buffering (wait for onDrain). Writing goes on after the input
   * closed, so a client whose line was refused still reads why.
   */
  send(line: RawLine): boolean {
    if (this.outputBroken || this.output.destroyed) return true;
    return this.writer.write(line);
  }

  onDrain(listener: () => void): void {
    this.output.on('drain', listener);
  }

  pause(): void {
    this.input.pause();
  }

  resume(): void {
    if (!this.closed) this.input.resume();
  }

  /** Resolves when everything written so far has been handed to the OS. */
  flush(): Promise<void> {
    return new Promise((resolve) => {
      // After the coalesced writes of this turn are uncorked (that tick was queued first).
      process.nextTick(() => {
        if (this.output.writableLength === 0 || this.output.destroyed) resolve();
        else this.output.once('drain', () => resolve());
        setTimeout(resolve, 2000).unref();
      });
    });
  }
}
