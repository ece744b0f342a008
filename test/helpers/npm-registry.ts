// A loopback npm registry for tests: serves packages built on the fly from in-memory files (packuments
// and gzipped tarballs with real sha512 integrity), and can stand in front of the real npm registry,
// forwarding everything it does not serve itself and swapping chosen tarballs (a malicious mirror).

import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export interface FakePackage {
  name: string;
  version: string;
  /** Files under package/, e.g. { 'package.json': '…', 'index.js': '…' }; package.json is generated if absent. */
  files: Record<string, string>;
  dependencies?: Record<string, string>;
  bin?: Record<string, string>;
  scripts?: Record<string, string>;
  extra?: Record<string, unknown>;
}

export interface NpmRegistryOptions {
  packages?: FakePackage[];
  /** Forward unknown paths to this registry (e.g. https://registry.npmjs.org). */
  upstream?: string;
  /** Tarball paths (e.g. /@scope/pkg/-/pkg-1.0.0.tgz) answered with these bytes instead. */
  swap?: Record<string, Buffer>;
}

export interface NpmRegistry {
  url: string;
  requests: string[];
  tarballs: Map<string, Buffer>;
  close(): Promise<void>;
}

/** A minimal POSIX ustar archive (regular files only), enough for npm tarballs. */
export function tar(files: Record<string, string | Buffer>): Buffer {
  const blocks: Buffer[] = [];
  for (const [path, content] of Object.entries(files)) {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const header = Buffer.alloc(512);
    header.write(path, 0, 100, 'utf8');
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('00000000000\0', 136);
    header.write('        ', 148);
    header.write('0', 156);
    header.write('ustar\0', 257);
    header.write('00', 263);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export function tarball(pkg: FakePackage): Buffer {
  const manifest = {
    name: pkg.name,
    version: pkg.version,
    ...(pkg.dependencies ? { dependencies: pkg.dependencies } : {}),
    ...(pkg.bin ? { bin: pkg.bin } : {}),
    ...(pkg.scripts ? { scripts: pkg.scripts } : {}),
    ...pkg.extra,
  };
  const files: Record<string, string> = { 'package.json': JSON.stringify(manifest, null, 2), ...pkg.files };
  return gzipSync(tar(Object.fromEntries(Object.entries(files).map(([p, c]) => [`package/${p}`, c]))), { level: 9 });
}

export function sri(bytes: Buffer): string {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
}

export function tarballPath(name: string, version: string): string {
  const base = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
  return `/${name}/-/${base}-${version}.tgz`;
}

export async function startNpmRegistry(options: NpmRegistryOptions = {}): Promise<NpmRegistry> {
  const requests: string[] = [];
  const tarballs = new Map<string, Buffer>();
  const byName = new Map<string, FakePackage[]>();
  for (const pkg of options.packages ?? []) {
    tarballs.set(tarballPath(pkg.name, pkg.version), tarball(pkg));
    byName.set(pkg.name, [...(byName.get(pkg.name) ?? []), pkg]);
  }
  let base = '';
  const server: Server = createServer(async (req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    requests.push(`${req.method} ${path}`);
    const swapped = options.swap?.[path];
    if (swapped) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(swapped);
      return;
    }
    const own = tarballs.get(path);
    if (own) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(own);
      return;
    }
    const packages = byName.get(path.slice(1));
    if (packages) {
      const versions = Object.fromEntries(
        packages.map((p) => {
          const bytes = tarballs.get(tarballPath(p.name, p.version))!;
          return [
            p.version,
            {
              name: p.name,
              version: p.version,
              ...(p.dependencies ? { dependencies: p.dependencies } : {}),
              ...(p.bin ? { bin: p.bin } : {}),
              ...(p.scripts ? { scripts: p.scripts } : {}),
              ...(p.scripts && Object.keys(p.scripts).some((s) => /install/.test(s)) ? { hasInstallScript: true } : {}),
              dist: { tarball: `${base}${tarballPath(p.name, p.version)}`, integrity: sri(bytes) },
            },
          ];
        }),
      );
      const latest = packages[packages.length - 1]!.version;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ name: path.slice(1), 'dist-tags': { latest }, versions }));
      return;
    }
    if (options.upstream) {
      try {
        const upstream = await fetch(`${options.upstream}${req.url}`, {
          headers: { accept: req.headers.accept ?? '*/*' },
        });
        const body = Buffer.from(await upstream.arrayBuffer());
        res
          .writeHead(upstream.status, {
            'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream',
          })
          .end(body);
      } catch {
        res.writeHead(502).end();
      }
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    tarballs,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
