// An official MCP SDK server over the deprecated HTTP+SSE transport on loopback: GET /sse opens a session
// whose endpoint is /messages?sessionId=…; one tool ("recall") and instructions. With `bearer`, every
// request without `Authorization: Bearer <bearer>` gets 401.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { z } from 'zod';

export interface SdkSse {
  url: string;
  close(): Promise<void>;
}

export async function startSdkSse(options: { bearer?: string } = {}): Promise<SdkSse> {
  const transports = new Map<string, SSEServerTransport>();
  const server: Server = createServer(async (req, res) => {
    if (options.bearer !== undefined && req.headers.authorization !== `Bearer ${options.bearer}`) {
      res.writeHead(401).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/sse') {
      const transport = new SSEServerTransport('/messages', res);
      transports.set(transport.sessionId, transport);
      res.on('close', () => transports.delete(transport.sessionId));
      const mcp = new McpServer(
        { name: 'legacy-notes', version: '0.9.0' },
        { instructions: 'Recall before you answer.' },
      );
      mcp.registerTool('recall', { description: 'Recall a note.', inputSchema: { q: z.string() } }, async ({ q }) => ({
        content: [{ type: 'text', text: `recalled ${q}` }],
      }));
      await mcp.connect(transport);
      return;
    }
    const transport = transports.get(url.searchParams.get('sessionId') ?? '');
    if (req.method === 'POST' && url.pathname === '/messages' && transport) {
      await transport.handlePostMessage(req, res);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sse`,
    close: async () => {
      for (const t of transports.values()) await t.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
