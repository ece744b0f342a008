// A JSON-RPC client for a remote MCP server over Streamable HTTP (both eras). Each request is a POST;
// the answer is JSON or an SSE stream. Bodies are size-capped and strictly parsed, every request has a
// deadline, and plain http is allowed only to loopback.

import { McpLockError } from '../../core/errors.ts';
import { answerServerRequest } from '../../core/introspect/client-role.ts';
import { type JsonObject, type JsonValue, parseStrictJson } from '../../core/json/strict-json.ts';
import type { McpRpc, RpcRequestOptions } from '../../core/ports.ts';
import { visible } from '../../core/text/hidden-chars.ts';
import { LineSplitter } from './line-splitter.ts';

export interface HttpRpcOptions {
  headers?: Record<string, string>;
  maxMessageBytes?: number;
  defaultTimeoutMs?: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Refuse anything but https, except http to a loopback host (tests, local development). */
export function parseRemoteUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new McpLockError('USAGE', `"${url}" is not a URL`);
  }
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname)) return parsed;
  throw new McpLockError('USAGE', `remote servers must use https (http only to loopback): ${url}`);
}

export class HttpRpc implements McpRpc {
  readonly notifications: string[] = [];
  bytesReceived = 0;
  private readonly url: URL;
  private readonly headers: Record<string, string>;
  private readonly maxMessageBytes: number;
  private readonly defaultTimeoutMs: number;
  private sessionId: string | undefined;
  private protocolVersion: string | undefined;
  private nextId = 1;
  private closed = false;

  constructor(url: string, options: HttpRpcOptions = {}) {
    this.url = parseRemoteUrl(url);
    this.headers = options.headers ?? {};
    this.maxMessageBytes = options.maxMessageBytes ?? 16 * 1024 * 1024;
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? 30_000;
  }

  private requestHeaders(method: string, params: JsonObject | undefined): Record<string, string> {
    const headers: Record<string, string> = {
      ...this.headers,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
    const metaVersion = (params?._meta as JsonObject | undefined)?.['io.modelcontextprotocol/protocolVersion'];
    const version = typeof metaVersion === 'string' ? metaVersion : this.protocolVersion;
    if (version) headers['mcp-protocol-version'] = version;
    if (typeof metaVersion === 'string') headers['mcp-method'] = method;
    if (this.sessionId) headers['mcp-session-id'] = this.sessionId;
    return headers;
  }

  private async post(
    body: JsonObject,
    method: string,
    timeoutMs: number,
    expectId: number | null,
  ): Promise<JsonObject | null> {
    if (this.closed) throw new McpLockError('SERVER_PROTOCOL_ERROR', 'connection closed');
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      let response: Response;
      try {
        response = await fetch(this.url, {
          method: 'POST',
          headers: this.requestHeaders(method, body.params as JsonObject | undefined),
          body: JSON.stringify(body),
          signal: controller.signal,
          redirect: 'error',
        });
      } catch (error) {
        if (controller.signal.aborted) throw timeoutError(method, timeoutMs);
        throw new McpLockError('SERVER_START_FAILED', `cannot reach ${this.url.origin}: ${(error as Error).message}`, {
          hint: 'Check the URL and that the server is up.',
          cause: error,
        });
      }
      const session = response.headers.get('mcp-session-id');
      if (session && /^[\x21-\x7e]{1,256}$/.test(session)) this.sessionId = session;
      if (expectId === null) {
        await response.body?.cancel();
        if (response.status >= 400) throw httpError(method, response.status);
        return null;
      }
      if (response.status >= 400) {
        await response.body?.cancel();
        throw httpError(method, response.status);
      }
      const type = response.headers.get('content-type') ?? '';
      if (type.startsWith('text/event-stream')) return await this.readSse(response, method, expectId, controller);
      const bytes = await this.readCapped(response, method);
      return this.handle(
        parseStrictJson(bytes, `${method} response`, { maxBytes: this.maxMessageBytes, maxDepth: 100 }),
        method,
        expectId,
      );
    } catch (error) {
      if (controller.signal.aborted && !(error instanceof McpLockError)) throw timeoutError(method, timeoutMs);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private async readCapped(response: Response, method: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body ?? []) {
      size += chunk.length;
      this.bytesReceived += chunk.length;
      if (size > this.maxMessageBytes) {
        throw new McpLockError(
          'LIMIT_EXCEEDED',
          `${method}: the response is larger than ${this.maxMessageBytes} bytes`,
        );
      }
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  }

  private async readSse(
    response: Response,
    method: string,
    expectId: number,
    controller: AbortController,
  ): Promise<JsonObject> {
    const splitter = new LineSplitter(this.maxMessageBytes, true);
    let data: string[] = [];
    let dataBytes = 0;
    let answer: JsonObject | null = null;
    stream: for await (const chunk of response.body ?? []) {
      this.bytesReceived += chunk.length;
      for (const raw of splitter.push(Buffer.from(chunk))) {
        const line = raw.toString('utf8');
        if (line.startsWith('data:')) {
          const part = line.slice(line.startsWith('data: ') ? 6 : 5);
          dataBytes += part.length;
          if (dataBytes > this.maxMessageBytes) {
            throw new McpLockError(
              'LIMIT_EXCEEDED',
              `${method}: an event is larger than ${this.maxMessageBytes} bytes`,
            );
          }
          data.push(part);
          continue;
        }
        if (line !== '' || data.length === 0) continue; // other fields (event:, id:, retry:, comments)
        const text = data.join('\n');
        data = [];
        dataBytes = 0;
        const message = parseStrictJson(text, `${method} event`, { maxBytes: this.maxMessageBytes, maxDepth: 100 });
        answer = await this.handleStreamed(message, method, expectId);
        if (answer) break stream;
      }
    }
    if (!answer) throw new McpLockError('SERVER_PROTOCOL_ERROR', `${method}: the event stream ended without an answer`);
    // Leaving the loop cancelled the body; the server may keep the stream open for later events, which
    // this client does not read, so the request is closed now rather than left to the timer.
    controller.abort();
    return answer;
  }

  private async handleStreamed(message: JsonValue, method: string, expectId: number): Promise<JsonObject | null> {
    if (!message || typeof message !== 'object' || Array.isArray(message)) {
      throw new McpLockError('SERVER_PROTOCOL_ERROR', `${method}: the stream carried a non-object message`);
    }
    if (typeof message.method === 'string') {
      if (message.id === undefined) this.notifications.push(message.method);
      else {
        // Server→client request (roots, sampling, elicitation, ping): answered harmlessly.
        const reply = { jsonrpc: '2.0', id: message.id, ...answerServerRequest(message.method) };
        await this.post(reply as JsonObject, 'response', this.defaultTimeoutMs, null);
      }
      return null;
    }
    return this.handle(message, method, expectId);
  }

  private handle(message: JsonValue, method: string, expectId: number): JsonObject {
    if (
      !message ||
      typeof message !== 'object' ||
      Array.isArray(message) ||
      message.jsonrpc !== '2.0' ||
      message.id !== expectId
    ) {
      throw new McpLockError('SERVER_PROTOCOL_ERROR', `${method}: the server did not answer with a JSON-RPC response`);
    }
    const error = message.error;
    if (error && typeof error === 'object' && !Array.isArray(error)) {
      const rpcCode = typeof error.code === 'number' ? error.code : null;
      const rpcMessage = typeof error.message === 'string' ? error.message : '';
      throw new McpLockError(
        'SERVER_PROTOCOL_ERROR',
        `${method} failed: ${visible(rpcMessage.slice(0, 500))} (${rpcCode})`,
        {
          data: { rpcCode, rpcMessage: rpcMessage.slice(0, 2000), method },
        },
      );
    }
    const result = message.result;
    if (!result || typeof result !== 'object' || Array.isArray(result)) {
      throw new McpLockError('SERVER_PROTOCOL_ERROR', `${method} returned no result object`);
    }
    if (method === 'initialize' && typeof result.protocolVersion === 'string')
      this.protocolVersion = result.protocolVersion;
    return result;
  }

  async request(method: string, params?: JsonObject, options: RpcRequestOptions = {}): Promise<JsonObject> {
    const id = this.nextId++;
    const body: JsonObject = { jsonrpc: '2.0', id, method, ...(params ? { params } : {}) };
    return (await this.post(body, method, options.timeoutMs ?? this.defaultTimeoutMs, id))!;
  }

  async notify(method: string, params?: JsonObject): Promise<void> {
    await this.post({ jsonrpc: '2.0', method, ...(params ? { params } : {}) }, method, this.defaultTimeoutMs, null);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.sessionId) return;
    try {
      const response = await fetch(this.url, {
        method: 'DELETE',
        headers: { ...this.headers, 'mcp-session-id': this.sessionId },
        signal: AbortSignal.timeout(2000),
        redirect: 'error',
      });
      await response.body?.cancel();
    } catch {
      // The session ends on the server's side anyway.
    }
  }
}

function timeoutError(method: string, timeoutMs: number): McpLockError {
  return new McpLockError('TIMEOUT', `${method} got no answer within ${timeoutMs} ms`, { data: { method, timeoutMs } });
}

function httpError(method: string, status: number): McpLockError {
  return new McpLockError('SERVER_PROTOCOL_ERROR', `${method}: the server answered HTTP ${status}`, {
    data: { method, httpStatus: status },
  });
}
