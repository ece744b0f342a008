// The proxy's server side for a pinned remote on the deprecated HTTP+SSE transport: the event stream's
// messages become lines for the guard, and each line the guard lets through is POSTed to the endpoint.
// Lines the guard sends before the stream has opened wait for it, in order. While the client is not
// reading, messages are held (bounded) instead of delivered.

import type { RawLine } from '../../core/guard/guard.ts';
import type { JsonObject } from '../../core/json/strict-json.ts';
import { LegacySseSession } from '../mcp/legacy-sse.ts';
import type { Upstream, UpstreamHandlers } from './upstream.ts';

const MAX_HELD = 10_000;

export class SseUpstream implements Upstream {
  private readonly url: string;
  private readonly options: { headers?: Record<string, string>; maxMessageBytes: number };
  private session: LegacySseSession | null = null;
  private handlers: UpstreamHandlers | null = null;
  private opened: Promise<void> | null = null;
  private queue: Promise<void> = Promise.resolve();
  private paused = false;
  private held: Buffer[] = [];
  private gone = false;

  constructor(url: string, options: { headers?: Record<string, string>; maxMessageBytes: number }) {
    this.url = url;
    this.options = options;
  }

  start(handlers: UpstreamHandlers): void {
    this.handlers = handlers;
    this.session = new LegacySseSession(this.url, {
      ...this.options,
      onMessage: (data) => this.deliver(Buffer.from(data, 'utf8')),
      onClosed: (error) => this.fail(error.code, error.message),
    });
    this.opened = this.session.open(30_000).catch((error: { code?: string; message?: string }) => {
      this.fail((error.code as never) ?? 'SERVER_START_FAILED', error.message ?? String(error));
    });
  }

  private deliver(line: Buffer): void {
    if (this.gone) return;
    if (this.paused) {
      this.held.push(line);
      if (this.held.length > MAX_HELD)
        this.fail('LIMIT_EXCEEDED', 'the server sent too much while the client was not reading');
      return;
    }
    this.handlers?.message(line);
  }

  private fail(code: Parameters<UpstreamHandlers['failed']>[0], reason: string): void {
    if (this.gone) return;
    this.gone = true;
    this.session?.close();
    this.handlers?.failed(code, reason);
  }

  send(line: RawLine, _message: JsonObject): boolean {
    const body = typeof line === 'string' ? line : Buffer.from(line).toString('utf8');
    this.queue = this.queue
      .then(() => this.opened)
      .then(async () => {
        if (this.gone || !this.session) return;
        await this.session.post(body);
      })
      .catch((error: { code?: string; message?: string }) => {
        this.fail((error.code as never) ?? 'SERVER_PROTOCOL_ERROR', error.message ?? String(error));
      });
    return true;
  }

  onDrain(listener: () => void): void {
    queueMicrotask(listener);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    const held = this.held;
    this.held = [];
    for (const line of held) this.deliver(line);
  }

  async stop(): Promise<void> {
    this.gone = true;
    this.session?.close();
  }
}
