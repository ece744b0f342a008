// A JSON-RPC client for a remote MCP server over the deprecated HTTP+SSE transport (legacy-sse.ts), for
// introspection: requests are POSTed, answers matched by id as they arrive on the event stream, strictly
// parsed; the server's own requests are answered harmlessly, like the other transports.

import { McpLockError } from '../../core/errors.ts';
import { answerServerRequest } from '../../core/introspect/client-role.ts';
import { type JsonObject, type JsonValue, parseStrictJson } from '../../core/json/strict-json.ts';
import type { McpRpc, RpcRequestOptions } from '../../core/ports.ts';
import { LegacySseSession } from './legacy-sse.ts';
import { rpcResult } from './rpc-result.ts';

interface Pending {
  method: string;
  resolve(value: JsonObject): void;
  reject(error: McpLockError): void;
  timer: NodeJS.Timeout;
}

export class SseRpc implements McpRpc {
  readonly notifications: string[] = [];
  bytesReceived = 0;
  private readonly session: LegacySseSession;
  private readonly pending = new Map<number, Pending>();
  private opened: Promise<void> | null = null;
  private failure: McpLockError | null = null;
  private nextId = 1;

  constructor(url: string, options: { headers?: Record<string, string>; maxMessageBytes?: number } = {}) {
    this.session = new LegacySseSession(url, {
      ...options,
      onMessage: (data) => this.onMessage(data),
      onClosed: (error) => this.fail(error),
    });
  }

  private onMessage(data: string): void {
    this.bytesReceived += Buffer.byteLength(data);
    let message: JsonValue;
    try {
      message = parseStrictJson(data, 'server message', { maxBytes: Number.MAX_SAFE_INTEGER, maxDepth: 100 });
    } catch (error) {
      this.fail(
        new McpLockError('SERVER_PROTOCOL_ERROR', `the server sent an invalid message: ${(error as Error).message}`),
      );
      return;
    }
    if (!message || typeof message !== 'object' || Array.isArray(message)) return;
    if (typeof message.method === 'string') {
      if (message.id === undefined) this.notifications.push(message.method);
      else {
        const reply = { jsonrpc: '2.0', id: message.id, ...answerServerRequest(message.method) };
        this.session.post(JSON.stringify(reply)).catch(() => undefined);
      }
      return;
    }
    if (typeof message.id !== 'number') return;
    const p = this.pending.get(message.id);
    if (!p) return;
    this.pending.delete(message.id);
    clearTimeout(p.timer);
    const result = rpcResult(message, p.method);
    if (result instanceof McpLockError) p.reject(result);
    else p.resolve(result);
  }

  private fail(error: McpLockError): void {
    this.failure ??= error;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(error);
      this.pending.delete(id);
    }
  }

  private open(timeoutMs: number): Promise<void> {
    this.opened ??= this.session.open(timeoutMs);
    return this.opened;
  }

  async request(method: string, params?: JsonObject, options: RpcRequestOptions = {}): Promise<JsonObject> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    await this.open(timeoutMs);
    if (this.failure) throw this.failure;
    const id = this.nextId++;
    const answer = new Promise<JsonObject>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new McpLockError('TIMEOUT', `${method} got no answer within ${timeoutMs} ms`, {
            data: { method, timeoutMs },
          }),
        );
      }, timeoutMs);
      this.pending.set(id, { method, resolve, reject, timer });
    });
    try {
      await this.session.post(JSON.stringify({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) }), timeoutMs);
    } catch (error) {
      const p = this.pending.get(id);
      if (p) clearTimeout(p.timer);
      this.pending.delete(id);
      answer.catch(() => undefined);
      throw error;
    }
    return answer;
  }

  async notify(method: string, params?: JsonObject): Promise<void> {
    await this.open(30_000);
    await this.session.post(JSON.stringify({ jsonrpc: '2.0', method, ...(params ? { params } : {}) }));
  }

  async close(): Promise<void> {
    this.fail(new McpLockError('SERVER_PROTOCOL_ERROR', 'connection closed'));
    this.session.close();
  }
}
