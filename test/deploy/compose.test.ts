// deploy/compose.yaml (PostgreSQL, two registry replicas, Caddy) is checked without docker, which this
// machine lacks: the YAML parses strictly; images are pinned; both replicas are the same service on one
// database whose name, user and (required, never written down) password match the postgres service; the
// load balancer's upstreams and health check name those replicas and their port. Then the replicas'
// exact command runs for real: two `registry serve` processes with it (address, port and data directory
// swapped for loopback ones) on a real PostgreSQL, both answering the health check path. The image copies
// every directory the registry's code imports from, and runs the Node version the repository pins.

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { parseDocument } from 'yaml';
import { startPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { type RegistryProcess, startRegistryProcess } from '../helpers/registry-process.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
}

const doc = parseDocument(read('deploy/compose.yaml'), { uniqueKeys: true, merge: true, strict: true });
const compose = doc.toJS() as { services: Record<string, Service>; volumes: Record<string, unknown> };
const replicas = ['registry-1', 'registry-2'];
const caddy = read('deploy/Caddyfile');

/** `--flag value` pairs of a command line. */
function flags(command: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 2; i < command.length; i += 2) out.set(command[i]!, command[i + 1]!);
  return out;
}

describe('deploy/compose.yaml', () => {
  test('parses strictly, with postgres, two replicas and a load balancer, every image pinned', () => {
    expect(doc.errors).toEqual([]);
    expect(doc.warnings).toEqual([]);
    expect(Object.keys(compose.services).sort()).toEqual(['lb', 'postgres', 'registry-1', 'registry-2']);
    for (const [name, s] of Object.entries(compose.services)) {
      expect(s.image, name).toMatch(/^[a-z0-9./-]+:\d+(\.\d+)+(-[a-z]+)?$/);
    }
  });

  test('both replicas run the same command on one database; its credentials are the postgres service’s', () => {
    const [a, b] = replicas.map((r) => compose.services[r]!);
    expect(a!.command).toEqual(b!.command);
    expect(a!.environment).toEqual(b!.environment);
    expect(a!.volumes).toEqual(b!.volumes);
    expect(a!.command!.slice(0, 2)).toEqual(['registry', 'serve']);
    const url = new URL(a!.environment!.MCP_LOCK_REGISTRY_DATABASE_URL!.replace(/\$\{[^}]+\}/, 'PASSWORD'));
    const pg = compose.services.postgres!.environment!;
    expect(url.hostname).toBe('postgres');
    expect(url.username).toBe(pg.POSTGRES_USER);
    expect(url.pathname).toBe(`/${pg.POSTGRES_DB}`);
    // The password is required from the environment, in both places, never a literal in the file.
    const required = /^\$\{POSTGRES_PASSWORD:\?[^}]+\}$/;
    expect(pg.POSTGRES_PASSWORD).toMatch(required);
    const inUrl = a!.environment!.MCP_LOCK_REGISTRY_DATABASE_URL!.match(/^postgres:\/\/\w+:(\$\{[^}]+\})@/)?.[1];
    expect(inUrl).toMatch(required);
    // The data directory (the keys) is one named volume, shared; the second replica waits for the first.
    const [volume, mount] = a!.volumes![0]!.split(':');
    expect(Object.keys(compose.volumes)).toContain(volume);
    expect(flags(a!.command!).get('--data')).toBe(mount);
    expect(b!.depends_on?.['registry-1']?.condition).toBe('service_healthy');
    expect(a!.depends_on?.postgres?.condition).toBe('service_healthy');
  });

  test('the load balancer sends to both replicas on their port, and probes a path they serve', () => {
    const port = flags(compose.services['registry-1']!.command!).get('--port');
    const upstreams = caddy
      .match(/reverse_proxy\s+([^{]+)\{/)?.[1]
      ?.trim()
      .split(/\s+/);
    expect(upstreams).toEqual(replicas.map((r) => `${r}:${port}`));
    expect(flags(compose.services['registry-1']!.command!).get('--host')).toBe('0.0.0.0');
    const health = caddy.match(/health_uri\s+(\S+)/)?.[1];
    expect(compose.services['registry-1']!.healthcheck!.test.join(' ')).toContain(`127.0.0.1:${port}${health}`);
    expect(compose.services.lb!.volumes).toContain('./Caddyfile:/etc/caddy/Caddyfile:ro');
  });

  test('every flag of the command is one `registry serve` has', () => {
    const help = spawnSync(process.execPath, [join(root, 'bin/mcp-lock.js'), 'registry', 'serve', '--help'], {
      encoding: 'utf8',
    });
    expect(help.status).toBe(0);
    for (const flag of flags(compose.services['registry-1']!.command!).keys()) {
      expect(help.stdout, flag).toMatch(new RegExp(`(^|[ ,])${flag} <`, 'm'));
    }
  });
});

describe('deploy/Dockerfile', () => {
  const dockerfile = read('deploy/Dockerfile');
  const copied = [...dockerfile.matchAll(/^COPY (\S+)\/ \S+$/gm)].map((m) => m[1]!);

  test('runs the pinned Node and copies every directory the registry code imports from', () => {
    const pkg = JSON.parse(read('package.json')) as { devDependencies: Record<string, string> };
    expect(dockerfile).toMatch(new RegExp(`^FROM node:${pkg.devDependencies.node!.replace(/\./g, '\\.')}-slim$`, 'm'));
    const outside = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(join(root, dir))) {
        const path = join(dir, entry);
        if (statSync(join(root, path)).isDirectory()) walk(path);
        else if (/\.(ts|js)$/.test(entry)) {
          for (const m of readFileSync(join(root, path), 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
            const top = relative(root, resolve(root, dirname(path), m[1]!)).split('/')[0]!;
            if (!copied.includes(top) && top !== 'package.json') outside.add(`${path} → ${m[1]}`);
          }
        }
      }
    };
    for (const dir of copied) walk(dir);
    expect([...outside]).toEqual([]);
    expect(copied).toEqual(expect.arrayContaining(['bin', 'cli', 'core', 'registry', 'adapters', 'schemas']));
  });
});

describe('the replicas’ command, run', () => {
  let postgres: TestPostgres | undefined;
  let work: string | undefined;
  const started: RegistryProcess[] = [];
  afterAll(async () => {
    await Promise.all(started.map((r) => r.stop()));
    await postgres?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('two processes with it serve one database; both answer the health check', async () => {
    postgres = await startPostgres();
    const url = await postgres.createDatabase();
    work = await mkdtemp(join(tmpdir(), 'mcp-lock-compose-'));
    const command = compose.services['registry-1']!.command!;
    // The helper binds 127.0.0.1 on port 0 with its own data directory; everything else is the file's.
    const rest = [...flags(command)].filter(([f]) => !['--host', '--port', '--data', '--log-level'].includes(f));
    for (let i = 0; i < 2; i++) {
      started.push(await startRegistryProcess(join(work, 'keys'), ['--database-url', url, ...rest.flat()]));
    }
    const health = caddy.match(/health_uri\s+(\S+)/)![1]!;
    for (const r of started) expect((await fetch(`${r.url}${health}`)).status).toBe(200);
    expect(started[0]!.approvalKeyId).toBe(started[1]!.approvalKeyId);
  }, 120_000);
});
