// The sandbox's network and environment, with a probe server (test/fixtures/mcp-servers/sandbox-probe.cjs,
// served as an npm package by a loopback registry and pinned with `add --tofu`) that tries to reach HTTP
// servers on the host's loopback. Declared nothing: raw connections and fetches are refused (and the same
// server with --no-sandbox reaches the host, the twin showing the probe works). Declared 127.0.0.1:<port>:
// fetching that port works through the allow-listing proxy, another port is refused and audited, and a raw
// connection still reaches nothing. Its environment holds only the declared variables and the few a
// program needs, never the caller's others.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_PATH } from '../../core/sandbox/sandbox-env.ts';
import { runCli } from '../helpers/cli.ts';
import { connectSdk, type SdkConnection } from '../helpers/locked-project.ts';
import { type NpmRegistry, startNpmRegistry } from '../helpers/npm-registry.ts';
import { requireBwrap } from '../helpers/sandbox.ts';

const BIN = new URL('../../bin/mcp-lock.js', import.meta.url).pathname;
const PROBE = readFileSync(new URL('../fixtures/mcp-servers/sandbox-probe.cjs', import.meta.url), 'utf8');
const NAME = 'io.github.test/probe';

let work: string;
let home: string;
let registry: NpmRegistry;
let allowed: Server;
let other: Server;
let allowedPort: number;
let otherPort: number;
let env: Record<string, string>;
const projects = { offline: '', online: '' };

async function hostServer(body: string): Promise<Server> {
  const server = createServer((_req, res) => res.end(body));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

async function probe(project: string, extra: string[] = []): Promise<SdkConnection> {
  return connectSdk({ command: process.execPath, args: [BIN, 'run', NAME, '--project', project, ...extra], env });
}

async function tool(conn: SdkConnection, name: string, args: Record<string, unknown> = {}): Promise<string> {
  const r = (await conn.client.callTool({ name, arguments: args })) as { content: { text: string }[] };
  return r.content[0]!.text;
}

function audit(project: string): Record<string, unknown>[] {
  return readFileSync(join(project, '.mcp-lock/audit', `${encodeURIComponent(NAME)}.jsonl`), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

beforeAll(async () => {
  requireBwrap();
  work = mkdtempSync(join(tmpdir(), 'mcp-lock-sandbox-net-'));
  home = join(work, 'home');
  mkdirSync(join(home, '.ssh'), { recursive: true });
  writeFileSync(join(home, '.ssh', 'id_rsa'), 'planted key\n');
  allowed = await hostServer('host-allowed');
  other = await hostServer('host-other');
  allowedPort = (allowed.address() as AddressInfo).port;
  otherPort = (other.address() as AddressInfo).port;
  registry = await startNpmRegistry({
    packages: [
      {
        name: 'sandbox-probe',
        version: '1.0.0',
        files: { 'server.cjs': PROBE },
        bin: { 'sandbox-probe': 'server.cjs' },
        extra: { description: 'probes its sandbox' },
      },
    ],
  });
  env = {
    ...(process.env as Record<string, string>),
    HOME: home,
    NO_COLOR: '1',
    npm_config_cache: join(work, 'npm-cache'),
    PROBE_TOKEN: 'secret-token',
    LEAKY_VAR: 'must-not-reach-the-server',
    USER: 'someone',
  };
  for (const [label, flags] of [
    ['offline', []],
    ['online', ['--allow-net', `127.0.0.1:${allowedPort}`]],
  ] as const) {
    const project = join(work, label);
    mkdirSync(project);
    projects[label] = project;
    const cli = (args: string[]) => runCli(args, { cwd: project, env, timeoutMs: 120_000 });
    expect((await cli(['init'])).code).toBe(0);
    const add = await cli([
      'add',
      '--tofu',
      'sandbox-probe@1.0.0',
      '--npm-registry',
      registry.url,
      '--name',
      NAME,
      '--env',
      'DECLARED_VAR=declared-value',
      '--secret-env',
      'PROBE_TOKEN',
      ...flags,
    ]);
    expect(add.code, add.stderr).toBe(0);
  }
}, 240_000);

afterAll(async () => {
  await registry?.close();
  allowed?.close();
  other?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('network: none declared', () => {
  it('the sandboxed probe reaches nothing on the host, raw or by fetch', async () => {
    const conn = await probe(projects.offline);
    try {
      expect(await tool(conn, 'connect', { host: '127.0.0.1', port: allowedPort })).toBe('error: ECONNREFUSED');
      expect(await tool(conn, 'fetch', { url: `http://127.0.0.1:${allowedPort}/` })).toMatch(/^error: /);
      expect(await tool(conn, 'read', { path: join(home, '.ssh', 'id_rsa') })).toBe('error: ENOENT');
    } finally {
      await conn.close();
    }
  });

  it('the same probe with --no-sandbox reaches the host and reads the key (the probe works)', async () => {
    const conn = await probe(projects.offline, ['--no-sandbox']);
    try {
      expect(await tool(conn, 'connect', { host: '127.0.0.1', port: allowedPort })).toBe('connected: host-allowed');
      expect(await tool(conn, 'read', { path: join(home, '.ssh', 'id_rsa') })).toBe('content: planted key\n');
    } finally {
      await conn.close();
    }
  });

  it('its environment holds only the declared variables and what a program needs', async () => {
    const conn = await probe(projects.offline);
    let seen: Record<string, string>;
    try {
      seen = JSON.parse(await tool(conn, 'env'));
    } finally {
      await conn.close();
    }
    const kept = ['LANG', 'LC_ALL', 'TZ', 'TERM'].filter((k) => env[k] !== undefined);
    expect(Object.keys(seen).sort()).toEqual(
      // PWD is bubblewrap's (--chdir to the installed server).
      ['DECLARED_VAR', 'HOME', 'PATH', 'PROBE_TOKEN', 'PWD', 'TMPDIR', ...kept].sort(),
    );
    expect(seen).toMatchObject({
      DECLARED_VAR: 'declared-value',
      PROBE_TOKEN: 'secret-token',
      HOME: home,
      TMPDIR: '/tmp',
      PATH: SANDBOX_PATH,
    });
    expect(seen.PWD).toContain('/.mcp-lock/store/');
  });
});

describe(`network: 127.0.0.1:<port> declared`, () => {
  it('the declared port is reached through the proxy; another port and raw connections are refused', async () => {
    const conn = await probe(projects.online);
    try {
      expect(await tool(conn, 'fetch', { url: `http://127.0.0.1:${allowedPort}/` })).toBe('status 200: host-allowed');
      expect(await tool(conn, 'fetch', { url: `http://127.0.0.1:${otherPort}/` })).toMatch(/^error: /);
      expect(await tool(conn, 'connect', { host: '127.0.0.1', port: allowedPort })).toBe('error: ECONNREFUSED');
      const seen = JSON.parse(await tool(conn, 'env'));
      expect(seen.HTTP_PROXY).toBe('http://127.0.0.1:3128');
      expect(seen.LEAKY_VAR).toBeUndefined();
      expect(seen.MCP_LOCK_PROXY_SOCKET).toBeUndefined();
      expect(conn.stderr()).toContain(`network: blocked CONNECT 127.0.0.1:${otherPort}`);
    } finally {
      await conn.close();
    }
    const network = audit(projects.online).filter((e) => e.event === 'network');
    expect(network).toContainEqual(
      expect.objectContaining({ decision: 'allowed', host: '127.0.0.1', port: allowedPort }),
    );
    expect(network).toContainEqual(
      expect.objectContaining({ decision: 'blocked', host: '127.0.0.1', port: otherPort }),
    );
  });
});
