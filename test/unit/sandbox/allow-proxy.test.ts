// The allow-listing proxy over its real Unix socket, with real HTTP servers on loopback: a declared
// host:port is tunnelled (CONNECT) and forwarded (absolute-URL GET); an undeclared port, a malformed
// target and a non-http URL are refused with 403 before anything is connected, and every decision is
// reported.

import { createServer, request, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AllowProxy,
  type ProxyDecision,
  parseAuthority,
  startAllowProxy,
} from '../../../adapters/sandbox/allow-proxy.ts';
import { isInternalAddress } from '../../../core/permissions/permissions.ts';

let allowed: Server;
let other: Server;
let proxy: AllowProxy;
const decisions: ProxyDecision[] = [];
let ports: { allowed: number; other: number };

async function serve(body: string): Promise<Server> {
  const s = createServer((_q, r) => r.end(body));
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return s;
}

/** Raw CONNECT over the socket; returns the status line and, if tunnelled, what the target answered. */
function tunnel(target: string): Promise<{ status: string; body: string }> {
  return new Promise((resolve, reject) => {
    const s = connect(proxy.socketPath);
    let data = '';
    let sent = false;
    s.on('connect', () => s.write(`CONNECT ${target} HTTP/1.1\r\nhost: ${target}\r\n\r\n`));
    s.on('data', (c) => {
      data += c;
      if (!sent && data.startsWith('HTTP/1.1 200')) {
        sent = true;
        s.write('GET / HTTP/1.0\r\n\r\n');
      }
    });
    s.on('error', reject);
    s.on('close', () => resolve({ status: data.split('\r\n')[0]!, body: data.split('\r\n\r\n').pop()! }));
  });
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const q = request({ socketPath: proxy.socketPath, path: url, headers: { host: new URL(url).host } }, (r) => {
      let body = '';
      r.on('data', (c) => {
        body += c;
      });
      r.on('end', () => resolve({ status: r.statusCode!, body }));
    });
    q.on('error', reject);
    q.end();
  });
}

beforeAll(async () => {
  allowed = await serve('allowed');
  other = await serve('other');
  ports = { allowed: (allowed.address() as AddressInfo).port, other: (other.address() as AddressInfo).port };
  proxy = await startAllowProxy({ allow: [`127.0.0.1:${ports.allowed}`], onDecision: (d) => decisions.push(d) });
});

afterAll(async () => {
  await proxy.close();
  allowed.close();
  other.close();
});

describe('allow-listing proxy', () => {
  it('tunnels and forwards a declared host:port', async () => {
    expect(await tunnel(`127.0.0.1:${ports.allowed}`)).toEqual({
      status: 'HTTP/1.1 200 Connection Established',
      body: 'allowed',
    });
    expect(await get(`http://127.0.0.1:${ports.allowed}/x`)).toEqual({ status: 200, body: 'allowed' });
    expect(decisions).toContainEqual({ host: '127.0.0.1', port: ports.allowed, allowed: true, method: 'CONNECT' });
  });

  it('refuses an undeclared port, a name for the same address, and a malformed target', async () => {
    expect((await tunnel(`127.0.0.1:${ports.other}`)).status).toBe('HTTP/1.1 403 Forbidden');
    expect((await tunnel(`localhost:${ports.allowed}`)).status).toBe('HTTP/1.1 403 Forbidden');
    expect((await tunnel('127.0.0.1')).status).toBe('HTTP/1.1 403 Forbidden');
    expect((await get(`http://127.0.0.1:${ports.other}/`)).status).toBe(403);
    expect(decisions).toContainEqual({ host: '127.0.0.1', port: ports.other, allowed: false, method: 'CONNECT' });
    expect(decisions).toContainEqual({ host: '127.0.0.1', port: ports.other, allowed: false, method: 'GET' });
  });
});

describe('a declared name that resolves to an internal address', () => {
  it('is refused, unless that address is declared too', async () => {
    const strict = await startAllowProxy({
      allow: [`localhost:${ports.allowed}`],
      onDecision: (d) => decisions.push(d),
    });
    const lenient = await startAllowProxy({ allow: [`localhost:${ports.allowed}`, `127.0.0.1:${ports.allowed}`] });
    const via = async (p: AllowProxy) => {
      const saved = proxy;
      proxy = p;
      try {
        return await tunnel(`localhost:${ports.allowed}`);
      } finally {
        proxy = saved;
      }
    };
    try {
      expect((await via(strict)).status).toBe('HTTP/1.1 403 Forbidden');
      expect(decisions.at(-1)).toMatchObject({
        host: 'localhost',
        allowed: false,
        reason: expect.stringMatching(/internal address/),
      });
      expect(await via(lenient)).toEqual({ status: 'HTTP/1.1 200 Connection Established', body: 'allowed' });
    } finally {
      await strict.close();
      await lenient.close();
    }
  });

  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.20.0.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['::1', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['::ffff:127.0.0.1', true],
    ['93.184.216.34', false],
    ['172.32.0.1', false],
    ['2606:4700::1111', false],
  ])('isInternalAddress(%s) is %s', (address, expected) => {
    expect(isInternalAddress(address)).toBe(expected);
  });
});

describe('parseAuthority', () => {
  it.each([
    ['example.com:443', { host: 'example.com', port: 443 }],
    ['[::1]:8080', { host: '::1', port: 8080 }],
    ['example.com', null],
    ['example.com:0', null],
    ['example.com:70000', null],
    ['a/b:1', null],
  ])('%s', (input, expected) => {
    expect(parseAuthority(input)).toEqual(expected);
  });
});
