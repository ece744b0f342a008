// Bodies are parsed only by the routes that take one (#10.3): CORS preflight, GET, DELETE and unknown
// routes leave a body unread, over inject and over real HTTP; the routes that take JSON still parse it
// strictly; and every error, parser and framework errors included, has the API's one shape with a hint.

import { connect, type Socket } from 'node:net';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, json, makeRegistry, type TestRegistry } from './helpers.ts';

let reg: TestRegistry;
let port: number;

beforeAll(async () => {
  reg = await makeRegistry();
  await reg.app.listen({ host: '127.0.0.1', port: 0 });
  port = (reg.app.server.address() as { port: number }).port;
});
afterAll(async () => {
  await reg.close();
});

/** A body strict parsing refuses: a route that parsed it would answer 400 JSON_DUPLICATE_KEY. */
const AMBIGUOUS = '{"a":1,"a":2}';

/** Send raw bytes over a fresh connection and return what the server answers within `ms` (or null). */
function rawExchange(request: string, ms = 5_000): Promise<string | null> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let data = '';
    const done = (value: string | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(data.length > 0 ? data : null), ms);
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
      const head = data.indexOf('\r\n\r\n');
      if (head < 0) return;
      const length = /content-length: (\d+)/i.exec(data.slice(0, head));
      if (!length || data.length - head - 4 >= Number(length[1])) done(data);
    });
    socket.on('error', () => done(data.length > 0 ? data : null));
    socket.write(request);
  });
}

function parseResponse(raw: string | null): { status: number; body: string } {
  expect(raw, 'the server answered').not.toBeNull();
  const text = raw as string;
  const head = text.indexOf('\r\n\r\n');
  return { status: Number(text.split(' ')[1]), body: text.slice(head + 4) };
}

describe('routes without a body parse nothing', () => {
  test.each([
    ['OPTIONS', '/v0.1/servers', 204],
    ['OPTIONS', '/v0/servers/io.github.acme%2Fweather/versions', 204],
    ['DELETE', '/v0.1/servers', 404],
    ['POST', '/no/such/route', 404],
    ['PUT', '/mcp-lock/v1/publish', 404],
  ])('%s %s ignores an ambiguous JSON body (%d)', async (method, url, status) => {
    const res = await reg.app.inject({ method: method as 'GET', url, headers: json, payload: AMBIGUOUS });
    expect(res.statusCode, res.body).toBe(status);
    if (status !== 204) expect(res.body).not.toContain('JSON_DUPLICATE_KEY');
  });

  test('GET with a body is answered as if it had none', async () => {
    const res = await reg.app.inject({ method: 'GET', url: '/v0.1/servers', headers: json, payload: AMBIGUOUS });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ servers: [], metadata: { count: 0 } });
  });

  test.each([
    ['OPTIONS', '/v0.1/servers', 204],
    ['DELETE', '/v0.1/servers', 404],
  ])('over HTTP, %s %s answers before the announced 60 KB body has arrived', async (method, url, status) => {
    // Only 10 of 60,000 announced bytes are sent: a route that read the body would wait for the rest.
    const raw = await rawExchange(
      `${method} ${url} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n[1${'0'.repeat(8)}`,
    );
    expect(parseResponse(raw).status).toBe(status);
  });

  test('routes that take JSON still parse it strictly (benign twin)', async () => {
    const url = '/mcp-lock/v1/servers/io.github.acme%2Fnothing/versions/1.0.0/reject';
    const headers = { ...json, ...bearer(reg.tokens.curator) };
    const ambiguous = await reg.app.inject({ method: 'POST', url, headers, payload: '{"reason":"a","reason":"b"}' });
    expect(ambiguous.statusCode).toBe(400);
    expect(ambiguous.json().error.code).toBe('JSON_DUPLICATE_KEY');
    const clean = await reg.app.inject({ method: 'POST', url, headers, payload: '{"reason":"spam"}' });
    expect(clean.json().error.code).toBe('NOT_FOUND');
  });
});

describe('every error has the API shape with a code and a hint', () => {
  const publisher = () => ({ ...json, ...bearer(reg.tokens.publisher) });
  const own: [string, () => InjectOptions, number, string][] = [
    [
      'wrong content type',
      () => ({
        method: 'POST',
        url: '/mcp-lock/v1/publish',
        headers: { ...publisher(), 'content-type': 'text/plain' },
        payload: 'x',
      }),
      415,
      'MEDIA_TYPE_UNSUPPORTED',
    ],
    [
      'malformed content type',
      () => ({
        method: 'POST',
        url: '/mcp-lock/v1/publish',
        headers: { ...publisher(), 'content-type': '/;;' },
        payload: 'x',
      }),
      415,
      'MEDIA_TYPE_UNSUPPORTED',
    ],
    [
      'too large',
      () => ({
        method: 'POST',
        url: '/mcp-lock/v1/servers/a/versions/1/yank',
        headers: { ...json, ...bearer(reg.tokens.curator) },
        payload: `"${'x'.repeat(70_000)}"`,
      }),
      413,
      'JSON_TOO_LARGE',
    ],
    [
      'invalid JSON',
      () => ({
        method: 'POST',
        url: '/mcp-lock/v1/servers/a/versions/1/yank',
        headers: { ...json, ...bearer(reg.tokens.curator) },
        payload: '{"reason":',
      }),
      400,
      'JSON_SYNTAX',
    ],
    [
      'empty JSON body',
      () => ({ method: 'POST', url: '/mcp-lock/v1/publish', headers: publisher(), payload: '' }),
      400,
      'JSON_SYNTAX',
    ],
    ['malformed %-escape in the path', () => ({ method: 'GET', url: '/mcp-lock/v1/servers/%E0%A4%A' }), 400, 'USAGE'],
    ['unknown route', () => ({ method: 'GET', url: '/mcp-lock/v1/nothing' }), 404, 'NOT_FOUND'],
    ['no token', () => ({ method: 'GET', url: '/mcp-lock/v1/queue' }), 401, 'UNAUTHENTICATED'],
  ];
  test.each(own)('mcp-lock routes: %s', async (_what, request, status, code) => {
    const res = await reg.app.inject(request());
    expect(res.statusCode, res.body).toBe(status);
    const body = res.json();
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(0);
    expect(body.error.hint.length).toBeGreaterThan(0);
  });

  test.each([
    ['/v0.1/servers/%E0%A4%A/versions', 400, 'USAGE'],
    ['/v0/servers?limit=abc', 400, 'USAGE'],
    ['/v0.1/servers/io.github.acme%2Fnone/versions/1.0.0', 404, 'NOT_FOUND'],
  ])('official routes keep the official shape: %s', async (url, status, code) => {
    const res = await reg.app.inject({ method: 'GET', url });
    expect(res.statusCode, res.body).toBe(status);
    const body = res.json();
    expect(typeof body.error).toBe('string');
    expect(body.code).toBe(code);
    expect(body.hint.length).toBeGreaterThan(0);
  });

  test('over HTTP, a request Node cannot parse gets the mcp-lock shape, not a framework default', async () => {
    const res = parseResponse(await rawExchange('GET /v0.1/servers HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'));
    expect(res.status).toBe(400);
    const body = JSON.parse(res.body);
    expect(body.error.code).toBe('USAGE');
    expect(body.error.hint.length).toBeGreaterThan(0);
  });

  test('over HTTP, a well-formed request on the same server is answered normally (benign twin)', async () => {
    const res = parseResponse(await rawExchange('GET /v0.1/servers HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ servers: [], metadata: { count: 0 } });
  });
});
