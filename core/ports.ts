// Interfaces through which core/ reaches the outside world. Adapters implement them; core never imports
// an adapter.

import type { JsonObject } from './json/strict-json.ts';

export interface RpcRequestOptions {
  /** Give up on this request after this long (the connection stays usable). */
  timeoutMs?: number;
}

/**
 * A JSON-RPC 2.0 connection to an MCP server (stdio or Streamable HTTP). Results are strictly parsed
 * wire objects. A JSON-RPC error response throws McpLockError SERVER_PROTOCOL_ERROR with
 * `data.rpcCode` and `data.rpcMessage`; a timeout throws TIMEOUT; a dead server SERVER_START_FAILED.
 */
export interface McpRpc {
  request(method: string, params?: JsonObject, options?: RpcRequestOptions): Promise<JsonObject>;
  notify(method: string, params?: JsonObject): Promise<void>;
  /** Notifications the server sent so far (method names), for list_changed bookkeeping. */
  readonly notifications: readonly string[];
  /** Bytes of server messages received so far (for byte caps across a whole introspection). */
  readonly bytesReceived: number;
  close(): Promise<void>;
}

/** A clock, so deadlines are testable. */
export interface Clock {
  now(): number;
}
