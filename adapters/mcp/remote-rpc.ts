// The JSON-RPC client for a pinned remote, by its transport: Streamable HTTP, or the deprecated HTTP+SSE.
import type { McpRpc } from '../../core/ports.ts';
import { HttpRpc } from './http-rpc.ts';
import { SseRpc } from './sse-rpc.ts';

export function remoteRpc(remote: {
  url: string;
  transport: 'streamable-http' | 'sse';
  headers: Record<string, string>;
}): McpRpc {
  return remote.transport === 'sse'
    ? new SseRpc(remote.url, { headers: remote.headers })
    : new HttpRpc(remote.url, { headers: remote.headers });
}
