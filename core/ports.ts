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

/**
 * The filesystem as the runtime policy's path allow-lists see it (adapters/fs/path-resolver.ts). Symlinks
 * are resolved here because the server resolves them too; core only normalises strings.
 */
export interface PathResolver {
  /** Where relative path arguments resolve: the server's working directory; null when unknown (remote). */
  readonly cwd: string | null;
  /** Where relative allow-list entries resolve: the project root (where the policy file is). */
  readonly root: string;
  /** The directory a leading `~` stands for (servers expand it), or null when there is none. */
  readonly home: string | null;
  /**
   * An absolute path with the symlinks and `..` of its longest existing prefix resolved as the kernel does,
   * the rest appended and normalised. Never throws.
   */
  realpath(path: string): string;
}
