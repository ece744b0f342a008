// Failed authentications and idle sockets (#10.8). Failures are rate-limited per client address with 429
// and Retry-After, while a valid token is never slowed; and a few hundred idle or trickling loopback
// sockets neither hold every connection slot nor outlive the tight header and idle timeouts.

import { mkdtemp, rm } from 'node:fs/promises';
import { get } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildRegistryApp } from '../../registry/app.ts';
import { resolveRegistryConfig } from '../../registry/config.ts';
import { type RunningRegistry, startRegistryServer } from '../../registry/server.ts';
import { bearer, makeRegistry, type TestRegistry } from './helpers.ts';

describe('failed authentications are rate-limited per client address', () => {
  let reg: TestRegistry;
  let app: FastifyInstance;
  const BUDGET = 5;

  beforeAll(async () => {
    reg = await makeRegistry();
    app = await buildRegistryApp({ service: reg.service, limits: { authFailuresPerWindow: BUDGET } });
  });
  afterAll(async () => {
    await app.close();
    await reg.close();
  });

  const queue = (remoteAddress: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url: '/mcp-lock/v1/queue', remoteAddress, headers });
  const wrong = bearer('mcpl_0000000000000000_wrongwrongwrongwrongwrongwrongwrongwrongwron');

  test('past the budget a failure is 429 with Retry-After and the error shape; before it, 401', async () => {
    for (let i = 0; i < BUDGET; i++) expect((await queue('10.0.0.1', wrong)).statusCode).toBe(401);
    const limited = await queue('10.0.0.1', wrong);
    expect(limited.statusCode, limited.body).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    const error = limited.json().error;
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.hint).toMatch(/Retry-After/);
    // A missing token on a route that needs one is a failure too.
    expect((await queue('10.0.0.1')).statusCode).toBe(429);
  });

  test('a valid token from the limited address is never slowed', async () => {
    for (let i = 0; i < BUDGET + 2; i++) await queue('10.0.0.2', wrong);
    expect((await queue('10.0.0.2', wrong)).statusCode).toBe(429);
    const ok = await queue('10.0.0.2', bearer(reg.tokens.curator));
    expect(ok.statusCode, ok.body).toBe(200);
  });

  test('successes never count, and other addresses keep their own budget (benign twins)', async () => {
    for (let i = 0; i < BUDGET * 10; i++) {
      expect((await queue('10.0.0.3', bearer(reg.tokens.curator))).statusCode).toBe(200);
    }
    expect((await queue('10.0.0.3', wrong)).statusCode).toBe(401);
    expect((await queue('10.0.0.4', wrong)).statusCode).toBe(401);
    // Routes that need no token are not touched by the budget of a limited address.
    const open = await app.inject({ method: 'GET', url: '/v0.1/servers', remoteAddress: '10.0.0.1' });
    expect(open.statusCode).toBe(200);
  });
});

describe('idle and trickling sockets cannot lock new clients out', () => {
  let dataDir: string;
  let running: RunningRegistry;
  const idle: Socket[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mcp-lock-idle-'));
    // The idle timeout stays at its default (30 s): silent sockets go by the first-byte timeout.
    const limits = { maxConnections: 256, maxConnectionsPerAddress: 32, headersTimeoutMs: 2_000 };
    const config = resolveRegistryConfig({
      flags: { port: '0', data: dataDir, logLevel: 'silent' },
      env: {},
      cwd: dataDir,
      file: { path: join(dataDir, 'config.json'), content: JSON.stringify({ limits }) },
    });
    running = await startRegistryServer(config);
  });
  afterAll(async () => {
    for (const s of idle) s.destroy();
    await running.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** GET /v0.1/servers from `localAddress`; resolves with the status, or 0 when refused or not answered. */
  const request = (localAddress: string): Promise<number> =>
    new Promise((resolve) => {
      const { port } = new URL(running.url);
      const req = get(
        { host: '127.0.0.1', port, path: '/v0.1/servers', localAddress, agent: false, timeout: 3_000 },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(0));
    });

  const waitFor = async (condition: () => boolean, ms: number) => {
    const deadline = Date.now() + ms;
    while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    return condition();
  };

  test('300 idle sockets from one address, then normal requests succeed', async () => {
    const { port } = new URL(running.url);
    let closed = 0;
    const trickles: NodeJS.Timeout[] = [];
    for (let i = 0; i < 300; i++) {
      const socket = connect(Number(port), '127.0.0.1');
      socket.on('error', () => {});
      socket.on('close', () => {
        closed++;
      });
      // Half say nothing; half send a request line and then one header line every 500 ms, forever.
      if (i % 2 === 1) {
        socket.write('GET /v0.1/servers HTTP/1.1\r\nHost: x\r\n');
        trickles.push(setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 500));
      }
      idle.push(socket);
    }
    try {
      // Another client is served at once: one address cannot hold more than its share of the slots.
      expect(await request('127.0.0.2')).toBe(200);
      // The server closes every silent and trickling socket (first-byte timeout, header timeout swept each second).
      expect(await waitFor(() => closed === 300, 15_000), `${closed} of 300 closed`).toBe(true);
      // And the address that held them is served again.
      expect(await request('127.0.0.1')).toBe(200);
    } finally {
      for (const t of trickles) clearInterval(t);
    }
  });
});
