// Start a real registry (`mcp-lock registry serve --port 0`) in a child process for e2e tests, and a
// loopback "evil mirror" that forwards to it but answers chosen paths with crafted responses.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const BIN = new URL('../../bin/mcp-lock.js', import.meta.url).pathname;

export interface RegistryProcess {
  url: string;
  approvalKeyId: string;
  stop(): Promise<void>;
  /** SIGKILL it (a crash) and wait until it is gone. */
  kill(): Promise<void>;
}

export function startRegistryProcess(dataDir: string, extraArgs: string[] = []): Promise<RegistryProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [BIN, 'registry', 'serve', '--port', '0', '--data', dataDir, '--log-level', 'silent', '--json', ...extraArgs],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`registry did not start: ${err}`));
    }, 90_000);
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      err += c;
    });
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      try {
        const doc = JSON.parse(out) as { url: string; approvalKeyId: string };
        clearTimeout(timer);
        resolve({
          url: doc.url,
          approvalKeyId: doc.approvalKeyId,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
          kill: () =>
            new Promise((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGKILL');
            }),
        });
      } catch {
        // not a whole document yet
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`registry exited with ${code}: ${err}`));
    });
  });
}

export interface EvilMirror {
  url: string;
  /** path → response body (JSON-encoded if not a Buffer) for GETs; cleared with reset(). */
  overrides: Map<string, unknown>;
  /** Rewrites an upstream answer (return undefined to pass it through); unset it to stop. */
  rewrite: ((path: string, body: Buffer) => Buffer | undefined) | undefined;
  /** Every path asked for, in order (cleared by the test when it wants). */
  requests: string[];
  close(): Promise<void>;
}

/** A registry mirror that forwards everything to `upstream` except the overridden paths. */
export async function startEvilMirror(upstream: string): Promise<EvilMirror> {
  const overrides = new Map<string, unknown>();
  const requests: string[] = [];
  const mirror: { rewrite: EvilMirror['rewrite'] } = { rewrite: undefined };
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push(path);
    if (req.method === 'GET' && overrides.has(path)) {
      const body = overrides.get(path);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(Buffer.isBuffer(body) ? body : JSON.stringify(body));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const upstreamResponse = await fetch(`${upstream}${req.url}`, {
      method: req.method ?? 'GET',
      headers: Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)) as [
          string,
          string,
        ][],
      ),
      ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
    });
    res.writeHead(upstreamResponse.status, {
      'content-type': upstreamResponse.headers.get('content-type') ?? 'application/json',
    });
    const body = Buffer.from(await upstreamResponse.arrayBuffer());
    res.end((upstreamResponse.ok && mirror.rewrite?.(path, body)) || body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    overrides,
    requests,
    get rewrite() {
      return mirror.rewrite;
    },
    set rewrite(fn) {
      mirror.rewrite = fn;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
