// The deprecated HTTP+SSE transport (protocol 2024-11-05), which many deployed remotes still speak: a GET
// opens an event stream whose first `endpoint` event names where to POST messages; every answer and
// server message then arrives on that stream as a `message` event. Parsed with eventsource-parser; each
// event is size-capped, the endpoint must stay on the server's origin (a server cannot make mcp-lock post
// a session elsewhere), and the stream is closed when the session ends.

import { createParser } from 'eventsource-parser';
import { McpLockError } from '../../core/errors.ts';
import { parseRemoteUrl } from './http-rpc.ts';

export interface LegacySseOptions {
  headers?: Record<string, string>;
  maxMessageBytes?: number;
  /** One message event's data (a JSON-RPC message as text). */
  onMessage(data: string): void;
  /** The stream ended or broke after it opened. */
  onClosed(error: McpLockError): void;
}

export class LegacySseSession {
  private readonly url: URL;
  private readonly options: LegacySseOptions;
  private readonly maxMessageBytes: number;
  private readonly controller = new AbortController();
  private endpoint: URL | null = null;
  private closed = false;

  constructor(url: string, options: LegacySseOptions) {
    this.url = parseRemoteUrl(url);
    this.options = options;
    this.maxMessageBytes = options.maxMessageBytes ?? 16 * 1024 * 1024;
  }

  /** Open the event stream and wait for the endpoint to post to. */
  async open(timeoutMs: number): Promise<void> {
    const timer = setTimeout(() => this.controller.abort(), timeoutMs);
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'GET',
        headers: { ...this.options.headers, accept: 'text/event-stream' },
        signal: this.controller.signal,
        redirect: 'error',
      });
    } catch (error) {
      clearTimeout(timer);
      throw new McpLockError('SERVER_START_FAILED', `could not open the SSE stream of ${this.url.href}`, {
        cause: error,
        hint: 'Check the URL and the network; a server that needs headers needs them set (add --header).',
      });
    }
    if (response.status >= 400 || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      clearTimeout(timer);
      this.controller.abort();
      throw new McpLockError(
        'SERVER_PROTOCOL_ERROR',
        `GET ${this.url.href} answered ${response.status}, not an event stream`,
        {
          data: { httpStatus: response.status },
          hint:
            response.status === 401 || response.status === 403
              ? 'The server wants credentials: check its headers.'
              : undefined,
        },
      );
    }
    const endpoint = new Promise<void>((resolve, reject) => {
      void this.read(response, resolve, reject).finally(() => clearTimeout(timer));
    });
    await endpoint;
    clearTimeout(timer);
  }

  private async read(response: Response, opened: () => void, failed: (e: McpLockError) => void): Promise<void> {
    let pending = 0;
    let failure: McpLockError | null = null;
    const parser = createParser({
      onEvent: (event) => {
        pending = 0;
        if (event.event === 'endpoint' && !this.endpoint) {
          const target = new URL(event.data.trim(), this.url);
          if (target.origin !== this.url.origin) {
            failure = new McpLockError(
              'SERVER_PROTOCOL_ERROR',
              `the SSE endpoint ${target.origin} is on another origin`,
            );
            return;
          }
          this.endpoint = target;
          opened();
        } else if ((event.event ?? 'message') === 'message' && this.endpoint) {
          this.options.onMessage(event.data.replace(/[\r\n]/g, ' '));
        }
      },
    });
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        pending += chunk.byteLength;
        if (pending > this.maxMessageBytes) {
          failure = new McpLockError('LIMIT_EXCEEDED', `an SSE event is larger than ${this.maxMessageBytes} bytes`);
        }
        if (!failure) parser.feed(decoder.decode(chunk, { stream: true }));
        if (failure) break;
      }
    } catch (error) {
      if (!this.closed) failure ??= new McpLockError('SERVER_START_FAILED', 'the SSE stream broke', { cause: error });
    }
    this.controller.abort();
    const reason = failure ?? new McpLockError('SERVER_START_FAILED', 'the server closed its SSE stream');
    if (!this.endpoint) failed(reason);
    else if (!this.closed) this.options.onClosed(reason);
  }

  /** POST one message to the endpoint; the answer comes on the stream. */
  async post(body: string, timeoutMs = 30_000): Promise<void> {
    if (!this.endpoint || this.closed) throw new McpLockError('SERVER_PROTOCOL_ERROR', 'the SSE session is not open');
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: { ...this.options.headers, 'content-type': 'application/json' },
      body,
      signal: AbortSignal.any([this.controller.signal, AbortSignal.timeout(timeoutMs)]),
      redirect: 'error',
    });
    await response.arrayBuffer().catch(() => undefined);
    if (response.status >= 400) {
      throw new McpLockError('SERVER_PROTOCOL_ERROR', `POST ${this.endpoint.pathname} answered ${response.status}`, {
        data: { httpStatus: response.status },
      });
    }
  }

  close(): void {
    this.closed = true;
    this.controller.abort();
  }
}
