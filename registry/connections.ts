// Connection slots are shared by everyone, so neither one client address nor a silent socket may hold
// them: a connection beyond `maxPerAddress` open sockets from one address is closed as it arrives, and a
// socket that has not sent a byte within `firstByteTimeoutMs` is closed then. Node's own timeouts cover
// the rest (headers and request timeouts for trickling requests, keep-alive for idle ones between
// requests), so a few hundred idle or slow sockets cannot lock new clients out.

import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionGuard {
  maxPerAddress: number;
  firstByteTimeoutMs: number;
}

/** Guard the connections of `server`; returns a function that removes the guard. */
export function guardConnections(server: Server, options: ConnectionGuard): () => void {
  const open = new Map<string, number>();
  const onConnection = (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = open.get(address) ?? 0;
    if (count >= options.maxPerAddress) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    // bytesRead is counted natively, so this works while Node's HTTP parser consumes the socket itself.
    const silent = setTimeout(() => {
      if (socket.bytesRead === 0) socket.destroy();
    }, options.firstByteTimeoutMs);
    silent.unref();
    socket.once('close', () => {
      clearTimeout(silent);
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  };
  // Before Node's own listener, so a refused socket never reaches the HTTP parser.
  server.prependListener('connection', onConnection);
  return () => server.off('connection', onConnection);
}
