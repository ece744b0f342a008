// An official MCP SDK server over Streamable HTTP (handshake era) on loopback, with sessions: two tools
// ("lookup", "count") and instructions. JSON answers or SSE streams (the SDK's default), switchable.
// With `bearer`, every request without `Authorization: Bearer <bearer>` gets 401.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer, type RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

export interface SdkHttp {
  url: string;
  lookups: RegisteredTool[];
  /** Answer POSTs with a JSON body (true) or an SSE stream (false, the SDK's default) from the next session on. */
  json: boolean;
  close(): Promise<void>;
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined));
    req.on('error', reject);
  });
}

/** Start the server; `json` picks the answer style for sessions created from then on. */
export async function startSdkHttp(options: { bearer?: string } = {}): Promise<SdkHttp & { seen: string[] }> {
  const seen: string[] = [];
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const lookups: RegisteredTool[] = [];
  const handle: { json: boolean } = { json: true };
  const server: Server = createServer(async (req, res) => {
    seen.push(req.headers.authorization ?? '');
    // Like a real authenticated remote: no valid bearer token, no MCP at all.
    if (options.bearer !== undefined && req.headers.authorization !== `Bearer ${options.bearer}`) {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
      res.end(JSON.stringify({ error: 'unauthorized' }));
      return;
    }
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    const sessionId = req.headers['mcp-session-id'] as string | undefined;
    let transport = sessionId ? transports.get(sessionId) : undefined;
    if (!transport && req.method === 'POST' && isInitializeRequest(body)) {
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableJsonResponse: handle.json,
        onsessioninitialized: (id) => {
          transports.set(id, created);
        },
      });
      transport = created;
      const mcp = new McpServer(
        { name: 'remote-notes', version: '1.2.3' },
        { instructions: 'Look notes up before you answer.', capabilities: { tools: { listChanged: true } } },
      );
      lookups.push(
        mcp.registerTool(
          'lookup',
          { description: 'Look a note up by keyword.', inputSchema: { q: z.string() } },
          async ({ q }) => ({ content: [{ type: 'text', text: `note about ${q}` }] }),
        ),
      );
      mcp.registerTool('count', { description: 'Count the notes.' }, async () => ({
        content: [{ type: 'text', text: '3' }],
      }));
      await mcp.connect(created);
    }
    if (!transport) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32000, message: 'no session' } }));
      return;
    }
    await transport.handleRequest(req, res, body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    lookups,
    seen,
    get json() {
      return handle.json;
    },
    set json(value: boolean) {
      handle.json = value;
    },
    close: async () => {
      for (const t of transports.values()) await t.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
