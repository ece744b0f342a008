// When `mcp-lock run` refuses to start a server (the lock does not verify, the server is not installed),
// the MCP client is usually waiting on our stdout for an answer to `initialize`. Rather than vanish, answer
// the requests that arrive in a short window with a JSON-RPC error that says why, so the client shows the
// reason instead of "connection closed". Nothing reaches any server.

import type { Readable, Writable } from 'node:stream';
import { errorResponse, GUARD_RPC_ERRORS, looseId } from '../../core/guard/json-rpc.ts';
import { LineSplitter } from '../mcp/line-splitter.ts';

export function answerWithRefusal(
  input: Readable & { isTTY?: boolean },
  output: Writable,
  message: string,
  data: Record<string, string>,
  windowMs = 3000,
): Promise<void> {
  if (input.isTTY) return Promise.resolve();
  return new Promise((resolve) => {
    const splitter = new LineSplitter(1024 * 1024);
    let done = false;
    const end = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      input.off('data', onData);
      input.pause();
      if (output.writableLength === 0) resolve();
      else output.once('drain', () => resolve());
    };
    const onData = (chunk: Buffer) => {
      let lines: Buffer[];
      try {
        lines = splitter.push(chunk);
      } catch {
        end();
        return;
      }
      for (const line of lines) {
        const text = line.toString('utf8');
        // Only requests get an answer; notifications (no id) are ignored.
        if (!text.includes('"method"')) continue;
        const id = looseId(text);
        if (id === null) continue;
        output.write(`${errorResponse(id, GUARD_RPC_ERRORS.refused, message, data)}\n`);
      }
    };
    const timer = setTimeout(end, windowMs);
    input.on('data', onData);
    input.once('end', end);
    input.once('error', end);
  });
}
