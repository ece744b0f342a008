// The server side of the proxy for a pinned remote server: the client's stdio bridged to a Streamable HTTP
// endpoint, in both eras. Every client message becomes a POST (with the session id and protocol version
// of the handshake era, or the Mcp-Method / Mcp-Name / Mcp-Param-* headers of 2026-07-28); each answer
// (a JSON body, or the events of an SSE stream, including a long-lived subscriptions/listen stream) comes
// back as server lines for the guard to check. In the handshake era a GET stream carries the server's own
// notifications and requests. Bodies and events are size-capped; plain http only to loopback; no redirects.

import { McpLockError } from '../../core/errors.ts';
import type { RawLine } from '../../core/guard/guard.ts';
import { mcpRequestHeaders } from '../../core/guard/http-headers.ts';
import { errorResponse, GUARD_RPC_ERRORS, idKey, looseId, type RpcId } from '../../core/guard/json-rpc.ts';
import { type JsonObject, parseStrictJson } from '../../core/json/strict-json.ts';
import { parseRemoteUrl } from '../mcp/http-rpc.ts';
import { LineSplitter } from '../mcp/line-splitter.ts';
import type { Upstream, UpstreamHandlers } from './upstream.ts';

export interface HttpUpstreamOptions {
  url: string;
  maxMessageBytes: number;
  /** The pinned definition of a tool (for x-mcp-header mirroring). */
  toolDefinition(name: string): JsonObject | undefined;
  headers?: Record<string, string>;
  /** A line for a human on stderr. */
  notice?(text: string): void;
}

const SESSION_ID = /^[\x21-\x7e]{1,256}$/;

/** JSON text may be pretty-printed; outside strings a newline is whitespace, inside one it cannot occur raw. */
function oneLine(bytes: Buffer): Buffer {
  if (!bytes.includes(0x0a) && !bytes.includes(0x0d)) return bytes;
  const out = Buffer.from(bytes);
  for (let i = 0; i < out.length; i++) if (out[i] === 0x0a || out[i] === 0x0d) out[i] = 0x20;
  return out;
}

export class HttpUpstream implements Upstream {
  private readonly url: URL;
  private readonly options: HttpUpstreamOptions;
  private readonly controllers = new Set<AbortController>();
  /** The open POST of each pending request, by id key, so a cancellation can close it. */
  private readonly inFlight = new Map<string, AbortController>();
  private handlers: UpstreamHandlers | null = null;
  private sessionId: string | undefined;
  private negotiated: string | undefined;
  private getStreamOpen = false;
  private stopped = false;

  constructor(options: HttpUpstreamOptions) {
    this.url = parseRemoteUrl(options.url);
    this.options = options;
  }

  start(handlers: UpstreamHandlers): void {
    this.handlers = handlers;
  }

  send(line: RawLine, message: JsonObject): boolean {
    if (message.method === 'notifications/cancelled') {
      // Over HTTP, closing a request's stream is what cancels it (the only way in 2026-07-28, where the
      // notification is stdio-only); the handshake era also gets the notification itself.
      const params = message.params;
      const target = params && typeof params === 'object' && !Array.isArray(params) ? params.requestId : undefined;
      if (typeof target === 'string' || typeof target === 'number') this.inFlight.get(idKey(target))?.abort();
      if (this.negotiated === undefined) return true;
    }
    void this.post(line, message);
    return true;
  }

  onDrain(_listener: () => void): void {
    // Each message is its own request; there is no shared stream to wait for.
  }

  pause(): void {}

  resume(): void {}

  private deliver(bytes: Buffer): void {
    if (!this.stopped) this.handlers?.message(oneLine(bytes));
  }

  private answerWithError(id: RpcId | null, code: number, message: string): void {
    if (id === null) return;
    this.deliver(Buffer.from(errorResponse(id, code, message, { code: 'SERVER_PROTOCOL_ERROR' })));
  }

  private tooLarge(what: string): never {
    throw new McpLockError('LIMIT_EXCEEDED', `${what} is larger than ${this.options.maxMessageBytes} bytes`);
  }

  private async post(line: RawLine, message: JsonObject): Promise<void> {
    if (this.stopped) return;
    const method = typeof message.method === 'string' ? message.method : undefined;
    const id = method !== undefined && message.id !== undefined ? (message.id as RpcId) : null;
    const headers: Record<string, string> = {
      ...this.options.headers,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...mcpRequestHeaders(message, this.negotiated, this.options.toolDefinition),
    };
    if (this.sessionId) headers['mcp-session-id'] = this.sessionId;
    const controller = new AbortController();
    this.controllers.add(controller);
    if (id !== null) this.inFlight.set(idKey(id), controller);
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers,
        body: typeof line === 'string' ? line : Buffer.from(line),
        signal: controller.signal,
        redirect: 'error',
      });
      const session = response.headers.get('mcp-session-id');
      if (session && SESSION_ID.test(session)) this.sessionId = session;
      if (id === null) {
        // A notification or a response to the server: 202 and no body.
        await response.body?.cancel();
        if (response.status >= 400)
          this.options.notice?.(`the remote server rejected a ${method ?? 'response'} (HTTP ${response.status})`);
        if (method === 'notifications/initialized' && response.status < 400) void this.openGetStream();
        return;
      }
      const type = response.headers.get('content-type') ?? '';
      if (type.startsWith('text/event-stream')) {
        await this.readSse(response, controller, id);
        return;
      }
      const body = await this.readBody(response);
      if (body.length === 0 || !type.includes('json')) {
        this.answerWithError(
          id,
          GUARD_RPC_ERRORS.protocol,
          `the remote server answered ${method} with HTTP ${response.status} and no JSON-RPC message`,
        );
        return;
      }
      if (method === 'initialize') this.learnVersion(body);
      this.deliver(body);
    } catch (error) {
      if (this.stopped || controller.signal.aborted) return;
      if (error instanceof McpLockError && error.code === 'LIMIT_EXCEEDED') {
        this.handlers?.failed('LIMIT_EXCEEDED', error.message);
        return;
      }
      const reason = error instanceof Error ? error.message : String(error);
      this.answerWithError(id, GUARD_RPC_ERRORS.protocol, `cannot reach the remote server: ${reason}`);
    } finally {
      this.controllers.delete(controller);
      if (id !== null && this.inFlight.get(idKey(id)) === controller) this.inFlight.delete(idKey(id));
    }
  }

  private learnVersion(body: Buffer): void {
    try {
      const value = parseStrictJson(body, 'initialize response', { maxBytes: this.options.maxMessageBytes });
      const result = value && typeof value === 'object' && !Array.isArray(value) ? value.result : undefined;
      const version =
        result && typeof result === 'object' && !Array.isArray(result) ? result.protocolVersion : undefined;
      if (typeof version === 'string' && /^[\x21-\x7e]{1,64}$/.test(version)) this.negotiated = version;
    } catch {
      // The guard refuses an unreadable answer itself.
    }
  }

  private async readBody(response: Response): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body ?? []) {
      size += chunk.length;
      if (size > this.options.maxMessageBytes) this.tooLarge('a response');
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  }

  /** Deliver every event of an SSE stream; stop once the answer to `id` arrived (null: read to the end). */
  private async readSse(response: Response, controller: AbortController, id: RpcId | null): Promise<void> {
    const splitter = new LineSplitter(this.options.maxMessageBytes, true);
    let data: Buffer[] = [];
    let dataBytes = 0;
    let answered = false;
    stream: for await (const chunk of response.body ?? []) {
      for (const raw of splitter.push(Buffer.from(chunk))) {
        if (raw.length > 0) {
          if (raw.subarray(0, 5).toString('latin1') === 'data:') {
            const part = raw.subarray(raw[5] === 0x20 ? 6 : 5);
            dataBytes += part.length + 1;
            if (dataBytes > this.options.maxMessageBytes) this.tooLarge('an event');
            data.push(part);
          }
          continue; // event:, id:, retry: and comments carry no message
        }
        if (data.length === 0) continue;
        const event = Buffer.concat(data.flatMap((d, i) => (i === 0 ? [d] : [Buffer.from(' '), d])));
        data = [];
        dataBytes = 0;
        this.deliver(event);
        if (id !== null) {
          const text = event.toString('utf8');
          if (!/"method"\s*:/.test(text) && looseId(text) === id) {
            answered = true;
            break stream; // leaving the loop cancels the body; aborting inside it would throw
          }
        }
      }
    }
    if (answered) {
      controller.abort();
      return;
    }
    if (id !== null && !this.stopped) {
      this.answerWithError(id, GUARD_RPC_ERRORS.protocol, 'the remote server closed the stream without an answer');
    }
  }

  /** Handshake era: the server's own notifications and requests come on a GET stream (405: it has none). */
  private async openGetStream(): Promise<void> {
    if (this.getStreamOpen || this.stopped) return;
    this.getStreamOpen = true;
    const controller = new AbortController();
    this.controllers.add(controller);
    try {
      const headers: Record<string, string> = { ...this.options.headers, accept: 'text/event-stream' };
      if (this.sessionId) headers['mcp-session-id'] = this.sessionId;
      if (this.negotiated) headers['mcp-protocol-version'] = this.negotiated;
      const response = await fetch(this.url, { method: 'GET', headers, signal: controller.signal, redirect: 'error' });
      const type = response.headers.get('content-type') ?? '';
      if (response.status >= 400 || !type.startsWith('text/event-stream')) {
        await response.body?.cancel();
        return;
      }
      await this.readSse(response, controller, null);
    } catch (error) {
      if (error instanceof McpLockError && error.code === 'LIMIT_EXCEEDED' && !this.stopped) {
        this.handlers?.failed('LIMIT_EXCEEDED', error.message);
      }
    } finally {
      this.controllers.delete(controller);
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const controller of this.controllers) controller.abort();
    this.controllers.clear();
    if (!this.sessionId) return;
    try {
      const response = await fetch(this.url, {
        method: 'DELETE',
        headers: { ...this.options.headers, 'mcp-session-id': this.sessionId },
        signal: AbortSignal.timeout(2000),
        redirect: 'error',
      });
      await response.body?.cancel();
    } catch {
      // The session ends on the server's side anyway.
    }
  }
}
