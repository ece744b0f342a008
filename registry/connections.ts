// Connection slots are shared by everyone, so no one client address may hold more than its share: a
// connection beyond `maxPerAddress` open sockets from one address is closed as it arrives. With the
// tight idle, header and request timeouts (app.ts, config.ts) this keeps a few hundred idle or trickling
// sockets from locking new clients out.

import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** Cap the open connections per client address on `server`; returns a function that removes the cap. */
export function capConnectionsPerAddress(server: Server, maxPerAddress: number): () => void {
  const open = new Map<string, number>();
  const onConnection = (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = open.get(address) ?? 0;
    if (count >= maxPerAddress) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  };
  // Before Node's own listener, so a refused socket never reaches the HTTP parser.
  server.prependListener('connection', onConnection);
  return () => server.off('connection', onConnection);
}
