// Loaded with `node --import` into a sandboxed server that may use the network. The sandbox has its own
// network namespace with nothing but loopback, so this listens on 127.0.0.1:3128 inside it and pipes each
// connection to mcp-lock's allow-listing proxy through the Unix socket bound into the sandbox. The proxy,
// outside, decides which host:port is reached; this bridge decides nothing. Plain JavaScript: it runs
// inside the sandbox with whatever Node starts the server, before the server's own code.

import { connect, createServer } from 'node:net';

const socketPath = process.env.MCP_LOCK_PROXY_SOCKET;
delete process.env.MCP_LOCK_PROXY_SOCKET;
if (socketPath) {
  const bridge = createServer({ pauseOnConnect: true }, (client) => {
    const upstream = connect(socketPath);
    upstream.on('connect', () => {
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on('error', close);
    client.on('error', close);
    upstream.on('close', close);
    client.on('close', close);
  });
  await new Promise((resolve, reject) => {
    bridge.once('error', reject);
    bridge.listen(3128, '127.0.0.1', resolve);
  });
  // The bridge never keeps the server alive by itself.
  bridge.unref();
}
