// The server side of the proxy, whatever carries it (a child process over stdio, a remote Streamable HTTP
// endpoint): lines in, lines out, a way to stop it, and flow control so a slow reader on one side slows
// the other instead of filling memory.

import type { ErrorCode } from '../../core/errors.ts';
import type { RawLine } from '../../core/guard/guard.ts';
import type { JsonObject } from '../../core/json/strict-json.ts';

export interface UpstreamHandlers {
  /** One message from the server, as the bytes of one line (no newline). */
  message(line: Buffer): void;
  /** The server is gone or broke the transport; nothing more will arrive. */
  failed(code: ErrorCode, reason: string): void;
}

export interface Upstream {
  start(handlers: UpstreamHandlers): void;
  /** Send one message; false when the transport is buffering (call onDrain to learn when to go on). */
  send(line: RawLine, message: JsonObject): boolean;
  onDrain(listener: () => void): void;
  /** Stop delivering messages until resume() (the client is not reading). */
  pause(): void;
  resume(): void;
  /**
   * Stop the server (or end the remote session); resolves when it is gone. 'graceful' when the client
   * left, 'now' when the guard blocked it.
   */
  stop(mode?: 'graceful' | 'now'): Promise<void>;
}
