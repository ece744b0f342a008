// The allow-listing proxy a sandboxed server reaches the network through: an HTTP proxy (CONNECT tunnels
// and absolute-URL requests) on a Unix socket in a private directory that only the sandbox gets bound in.
// Each target host:port is checked against the manifest's network permissions before anything is
// connected, and a declared name is resolved here, once: one that resolves to a loopback or private
// address is refused unless that address is declared too (no DNS rebinding into the user's machine); a
// refusal is answered 403 and reported (stderr and audit log through `onDecision`). Bounded:
// connections at once, header size (Node's default), idle time. Names are resolved here, outside.

import { lookup } from 'node:dns/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { connect, isIP, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { isInternalAddress, networkAllowed } from '../../core/permissions/permissions.ts';

export interface ProxyDecision {
  host: string;
  port: number;
  allowed: boolean;
  method: string;
  /** Why a declared name was still refused (it resolved to an internal address). */
  reason?: string;
}

export interface AllowProxyOptions {
  allow: readonly string[];
  onDecision?: (decision: ProxyDecision) => void;
  maxConnections?: number;
  idleTimeoutMs?: number;
}

export interface AllowProxy {
  socketDir: string;
  socketPath: string;
  close(): Promise<void>;
}

/** host:port of a CONNECT target (IPv6 in brackets), or null. */
export function parseAuthority(text: string): { host: string; port: number } | null {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s/]+):(\d{1,5})$/.exec(text);
  if (!m) return null;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return null;
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

const FORBIDDEN = 'HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n';

export async function startAllowProxy(options: AllowProxyOptions): Promise<AllowProxy> {
  const socketDir = mkdtempSync(join(tmpdir(), 'mcp-lock-proxy-'));
  const socketPath = join(socketDir, 'proxy.sock');
  const idle = options.idleTimeoutMs ?? 5 * 60_000;
  const sockets = new Set<Duplex>();
  const decide = (host: string, port: number, method: string) => {
    const allowed = networkAllowed(options.allow, host, port);
    if (!allowed) options.onDecision?.({ host, port, allowed, method });
    return allowed;
  };
  /**
   * The address to connect to for an allowed target, resolved here once (no second lookup to race): a
   * declared name that resolves to an internal address is refused, unless that address is declared too.
   */
  const resolveTarget = async (host: string, port: number, method: string): Promise<string | null> => {
    let address = host;
    if (isIP(host) === 0) {
      try {
        address = (await lookup(host)).address;
      } catch {
        options.onDecision?.({ host, port, allowed: false, method, reason: 'the name does not resolve' });
        return null;
      }
      if (isInternalAddress(address) && !networkAllowed(options.allow, address, port)) {
        options.onDecision?.({
          host,
          port,
          allowed: false,
          method,
          reason: `it resolves to ${address}, an internal address`,
        });
        return null;
      }
    }
    options.onDecision?.({ host, port, allowed: true, method });
    return address;
  };
  const track = (s: Duplex) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('mcp-lock proxy: absolute http:// URL expected\n');
      return;
    }
    const port = Number(url.port || 80);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const refuse = () => res.writeHead(403).end(`mcp-lock: ${url.host} is not in this server's network permissions\n`);
    if (url.protocol !== 'http:' || !decide(host, port, req.method ?? 'GET')) {
      refuse();
      return;
    }
    void resolveTarget(host, port, req.method ?? 'GET').then((address) => {
      if (address) forward(req, res, url, address, port);
      else refuse();
    });
  });
  const forward = (req: IncomingMessage, res: ServerResponse, url: URL, address: string, port: number) => {
    const headers = { ...req.headers };
    delete headers['proxy-connection'];
    delete headers['proxy-authorization'];
    const upstream = request(
      { host: address, port, method: req.method, path: `${url.pathname}${url.search}`, headers, timeout: idle },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error('idle')));
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end('mcp-lock proxy: upstream failed\n');
      else res.destroy();
    });
    req.pipe(upstream);
  };
  server.maxConnections = options.maxConnections ?? 256;
  server.on('connection', track);
  server.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) => {
    const target = parseAuthority(req.url ?? '');
    if (!target) {
      options.onDecision?.({ host: req.url ?? '', port: 0, allowed: false, method: 'CONNECT', reason: 'malformed' });
      client.end(FORBIDDEN);
      return;
    }
    if (!decide(target.host, target.port, 'CONNECT')) {
      client.end(FORBIDDEN);
      return;
    }
    void resolveTarget(target.host, target.port, 'CONNECT').then((address) => {
      if (!address) {
        client.end(FORBIDDEN);
        return;
      }
      tunnelTo(address, target.port, client, head);
    });
  });
  const tunnelTo = (address: string, port: number, client: Duplex, head: Buffer) => {
    const upstream: Socket = connect({ host: address, port });
    let connected = false;
    track(upstream);
    upstream.setTimeout(idle, () => upstream.destroy());
    upstream.once('connect', () => {
      connected = true;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const close = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', () => {
      if (!connected && client.writable) client.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n');
      else close();
    });
    client.on('error', close);
    client.on('close', close);
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  server.unref();
  return {
    socketDir,
    socketPath,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
}
