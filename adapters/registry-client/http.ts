// One bounded HTTP exchange: a connect timeout, a total timeout, a response size cap, no redirects
// followed, no connection kept alive. Failures come back as McpLockErrors that say whether the registry
// could not be reached (exit 3) or answered badly.

import http from 'node:http';
import https from 'node:https';
import { McpLockError } from '../../core/errors.ts';

export interface HttpLimits {
  connectTimeoutMs: number;
  timeoutMs: number;
  maxResponseBytes: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  connectTimeoutMs: 10_000,
  timeoutMs: 60_000,
  maxResponseBytes: 32 * 1024 * 1024,
};

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: Buffer;
  limits: HttpLimits;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  contentType: string;
  body: Buffer;
}

class Abort extends Error {
  readonly mapped: McpLockError;
  constructor(mapped: McpLockError) {
    super(mapped.message);
    this.mapped = mapped;
  }
}

export function boundedRequest(request: HttpRequest): Promise<HttpResponse> {
  const { url, limits } = request;
  const where = url.origin;
  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (error: McpLockError | null, response?: HttpResponse) => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      request.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(response!);
    };
    const transport = url.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = { ...request.headers, connection: 'close' };
    if (request.body) headers['content-length'] = String(request.body.length);
    const req = transport.request(url, { method: request.method, headers, agent: false }, (res) => {
      const status = res.statusCode ?? 0;
      const declared = Number(res.headers['content-length'] ?? '0');
      if (declared > limits.maxResponseBytes) {
        req.destroy(new Abort(tooLarge(where, limits.maxResponseBytes)));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxResponseBytes) {
          req.destroy(new Abort(tooLarge(where, limits.maxResponseBytes)));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () =>
        finish(null, { status, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }),
      );
      res.on('error', (error) => finish(mapError(error, where)));
      res.on('aborted', () => finish(unavailable(where, 'the connection closed mid-response')));
    });
    req.on('error', (error) => finish(mapError(error, where)));
    req.on('socket', (socket) => {
      if (!socket.connecting) return;
      const connectTimer = setTimeout(
        () => req.destroy(new Abort(timeout(where, `connecting took longer than ${limits.connectTimeoutMs} ms`))),
        limits.connectTimeoutMs,
      );
      timers.push(connectTimer);
      socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
    });
    timers.push(
      setTimeout(
        () => req.destroy(new Abort(timeout(where, `no complete answer within ${limits.timeoutMs} ms`))),
        limits.timeoutMs,
      ),
    );
    const onAbort = () => req.destroy(new Abort(new McpLockError('INTERNAL', 'interrupted')));
    if (request.signal?.aborted) onAbort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    req.end(request.body);
  });
}

function tooLarge(where: string, max: number): McpLockError {
  return new McpLockError('REGISTRY_PROTOCOL', `the registry at ${where} sent more than ${max} bytes`, {
    hint: 'Responses are size-capped; this is not a registry answer mcp-lock can use.',
  });
}

function timeout(where: string, what: string): McpLockError {
  return new McpLockError('TIMEOUT', `the registry at ${where} did not answer in time: ${what}`, {
    hint: 'Check that the registry is up and reachable; nothing was changed.',
  });
}

function unavailable(where: string, what: string): McpLockError {
  return new McpLockError('REGISTRY_UNAVAILABLE', `cannot reach the registry at ${where}: ${what}`, {
    hint: 'Check the registry URL and that it is running; nothing was changed.',
  });
}

function mapError(error: unknown, where: string): McpLockError {
  if (error instanceof Abort) return error.mapped;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return unavailable(where, 'the host name does not resolve');
  if (code === 'ECONNREFUSED') return unavailable(where, 'the connection was refused');
  if (code && /^(ERR_TLS|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED)/.test(code)) {
    return new McpLockError('NETWORK_ERROR', `TLS with the registry at ${where} failed: ${code}`, {
      hint: 'The registry’s certificate is not trusted here.',
      cause: error,
    });
  }
  return new McpLockError(
    'NETWORK_ERROR',
    `talking to the registry at ${where} failed: ${code ?? (error as Error).message}`,
    {
      hint: 'Check the network and retry; nothing was changed.',
      cause: error,
    },
  );
}
