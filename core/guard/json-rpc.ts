// JSON-RPC 2.0 as the connect-time guard sees it: what kind of message a parsed value is, how request ids
// are keyed (1 and "1" are different ids), and the error responses the guard answers with itself.
// Pure: values in, values out.

import type { JsonObject, JsonValue } from '../json/strict-json.ts';

export type RpcId = string | number;

export type RpcMessage =
  | { type: 'request'; id: RpcId; method: string; params: JsonObject | undefined; message: JsonObject }
  | { type: 'notification'; method: string; params: JsonObject | undefined; message: JsonObject }
  | { type: 'result'; id: RpcId; result: JsonValue; message: JsonObject }
  | { type: 'error'; id: RpcId | null; message: JsonObject }
  | { type: 'invalid'; reason: string; id: RpcId | null };

/**
 * Error codes the guard answers with, from the range JSON-RPC leaves to implementations and MCP leaves
 * unassigned (-32000..-32019; -32002 is skipped because MCP 2025-11-25 used it for "resource not found").
 */
export const GUARD_RPC_ERRORS = {
  /** The server showed something that is not what was pinned (the list was blocked). */
  drift: -32001,
  /** A call, read or get for an item that is not pinned, or that drifted, or that shadows another server. */
  notPinned: -32003,
  /** The guard stopped the server earlier in this session; nothing is forwarded any more. */
  stopped: -32004,
  /** The server broke a bound: a cursor loop, too many pages or items, an oversized message. */
  limit: -32005,
  /** The server did not answer in time. */
  timeout: -32006,
  /** The server answered with something that cannot be verified. */
  protocol: -32007,
  /** mcp-lock refused to start the server (verification failed before launch). */
  refused: -32008,
  /** A result withheld because it appears to hold a credential (policy secrets.results: block). */
  secret: -32010,
  /** A call over a limit of the runtime policy: calls per minute, identical calls, argument bytes. */
  callLimit: -32011,
} as const;

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
/** JSON-RPC "invalid params": what MCP answers for an unknown tool or prompt name. */
export const INVALID_PARAMS = -32602;

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: JsonValue | undefined): value is RpcId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/** Classify a strictly parsed JSON value as a JSON-RPC 2.0 message (MCP uses no batches). */
export function classifyMessage(value: JsonValue): RpcMessage {
  if (!isObject(value)) return { type: 'invalid', reason: 'not a JSON object (batches are not used by MCP)', id: null };
  const rawId = value.id;
  const id = isId(rawId) ? rawId : null;
  if (value.jsonrpc !== '2.0') return { type: 'invalid', reason: 'jsonrpc is not "2.0"', id };
  const params = value.params;
  if (params !== undefined && !isObject(params)) return { type: 'invalid', reason: 'params is not an object', id };
  if (Object.hasOwn(value, 'method')) {
    if (typeof value.method !== 'string' || value.method.length === 0 || value.method.length > 256) {
      return { type: 'invalid', reason: 'method is not a string', id };
    }
    if (rawId === undefined) return { type: 'notification', method: value.method, params, message: value };
    if (id === null) return { type: 'invalid', reason: 'a request id must be a string or a number', id: null };
    return { type: 'request', id, method: value.method, params, message: value };
  }
  if (Object.hasOwn(value, 'error')) {
    if (!isObject(value.error)) return { type: 'invalid', reason: 'error is not an object', id };
    if (rawId !== undefined && rawId !== null && id === null)
      return { type: 'invalid', reason: 'response id is not a string or a number', id };
    return { type: 'error', id, message: value };
  }
  if (Object.hasOwn(value, 'result')) {
    if (id === null) return { type: 'invalid', reason: 'response id is not a string or a number', id: null };
    return { type: 'result', id, result: value.result!, message: value };
  }
  return { type: 'invalid', reason: 'neither a request, a notification nor a response', id };
}

/** A map key for a request id that keeps 1 and "1" apart. */
export function idKey(id: RpcId): string {
  return typeof id === 'number' ? `n:${id}` : `s:${id}`;
}

/** A JSON-RPC error response as one line of JSON. */
export function errorResponse(id: RpcId | null, code: number, message: string, data?: JsonObject): string {
  const error: JsonObject = { code, message };
  if (data !== undefined) error.data = data;
  return JSON.stringify({ jsonrpc: '2.0', id, error });
}

/**
 * Best effort to find the id of a line that failed strict parsing, so the request it answers (or asks)
 * can be answered with an error instead of hanging. The content itself is never used.
 */
export function looseId(text: string): RpcId | null {
  if (text.length > 64 * 1024 * 1024) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const id = (value as { id?: unknown }).id;
      if (typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))) return id;
    }
  } catch {
    // not JSON at all
  }
  return null;
}
