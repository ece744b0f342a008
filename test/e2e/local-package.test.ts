// A server author pins a package no registry has (#11 item 7): `add --tofu ./dir` packs it with npm's own
// packing (its scripts never run), stores the tarball in the project under its sha512 and pins it LOCAL,
// its dependency (the real MCP SDK) pinned from the npm registry as usual. A clean clone installs it from
// the stored tarball, `run` serves it to the SDK client, and a tarball changed on disk is refused by
// install and verify. Benign twin: a registry package pin is not marked LOCAL.

import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { type NpmRegistry, startNpmRegistry } from '../helpers/npm-registry.ts';
import { TINY_SERVER_JS } from '../helpers/tiny-server.ts';

const BIN = new URL('../../bin/mcp-lock.js', import.meta.url).pathname;
const SDK_VERSION = JSON.parse(
  readFileSync(new URL('../../node_modules/@modelcontextprotocol/sdk/package.json', import.meta.url), 'utf8'),
).version as string;
const LOCAL = 'npm/my-local-mcp';
const REMOTE = 'npm/tiny-registry-mcp';

const SERVER_MJS = `#!/usr/bin/env node
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
const server = new McpServer({ name: 'my-local-mcp', version: '1.0.0' });
server.registerTool('shout', { description: 'Upper-case a fixed word.' }, async () => ({
  content: [{ type: 'text', text: 'LOCAL SERVER' }],
}));
await server.connect(new StdioServerTransport());
`;

let work: string;
let project: string;
let markers: string;
let registry: NpmRegistry;

const marker = (label: string) => `node -e "require('fs').writeFileSync('${join('MARKERS', label)}','ran')"`;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mcp-lock-localpkg-'));
  markers = join(work, 'markers');
  project = join(work, 'project');
  mkdirSync(markers);
  mkdirSync(project);
  const dir = join(work, 'my-server');
  mkdirSync(dir);
  const script = (label: string) => marker(label).replace('MARKERS', markers);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'my-local-mcp',
      version: '1.0.0',
      description: 'An unpublished server',
      type: 'module',
      bin: { 'my-local-mcp': 'server.mjs' },
      dependencies: { '@modelcontextprotocol/sdk': SDK_VERSION },
      scripts: { prepack: script('prepack'), prepare: script('prepare'), postinstall: script('postinstall') },
    }),
  );
  writeFileSync(join(dir, 'server.mjs'), SERVER_MJS, { mode: 0o755 });
  registry = await startNpmRegistry({
    packages: [
      {
        name: 'tiny-registry-mcp',
        version: '1.0.0',
        files: {
          'server.js': TINY_SERVER_JS,
          'surface.json': JSON.stringify({ tools: [{ name: 'hello', inputSchema: { type: 'object' } }] }),
        },
        bin: { 'tiny-registry-mcp': 'server.js' },
      },
    ],
  });
});

afterAll(async () => {
  await registry?.close();
  rmSync(work, { recursive: true, force: true });
});

const env = () => ({ npm_config_cache: join(work, 'npm-cache') });
const cli = (args: string[], cwd = project) => runCli(args, { cwd, env: env(), timeoutMs: 240_000 });
const localDir = (root: string) => join(root, '.mcp-lock', 'local');

describe('a local package pinned LOCAL by its tarball integrity', () => {
  it('add --tofu ./dir packs it without running its scripts and marks it LOCAL', async () => {
    expect((await cli(['init'])).code).toBe(0);
    const add = await cli(['add', '--tofu', '../my-server']);
    expect(add.code, add.stdout + add.stderr).toBe(0);
    expect(add.stdout).toMatch(/LOCAL/);
    expect(readdirSync(markers)).toEqual([]);
    const stored = readdirSync(localDir(project));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/^[a-f0-9]{128}\.tgz$/);
    // Committed with the lock: git ignores the store (benign twin), not the stored tarball.
    execFileSync('git', ['init', '-q'], { cwd: project });
    const ignored = (path: string) => spawnSync('git', ['check-ignore', '-q', path], { cwd: project }).status;
    expect(ignored(`.mcp-lock/local/${stored[0]}`)).toBe(1);
    expect(ignored('.mcp-lock/store/x')).toBe(0);
    const lock = JSON.parse(readFileSync(join(project, 'mcp-lock.json'), 'utf8'));
    const pkg = lock.servers[LOCAL].package;
    expect(pkg.resolved).toBe(`file:.mcp-lock/local/${stored[0]}`);
    expect(Buffer.from(pkg.integrity.slice(7), 'base64').toString('hex')).toBe(stored[0]!.slice(0, 128));
    const manifest = JSON.parse(
      readFileSync(join(project, '.mcp-lock', 'manifests', `${lock.servers[LOCAL].manifest.slice(7)}.json`), 'utf8'),
    );
    const sdk = manifest.package.tree.find(
      (n: { location: string }) => n.location === 'node_modules/@modelcontextprotocol/sdk',
    );
    expect(sdk.resolved).toMatch(/^https:\/\/registry\.npmjs\.org\/@modelcontextprotocol\/sdk\/-\/sdk-/);
  });

  it('benign twin: a registry package pinned beside it is not LOCAL; list marks only the local one', async () => {
    const add = await cli(['add', '--tofu', 'tiny-registry-mcp@1.0.0', '--npm-registry', registry.url]);
    expect(add.code, add.stdout + add.stderr).toBe(0);
    expect(add.stdout).not.toMatch(/LOCAL/);
    const list = await cli(['list', '--json']);
    const rows = JSON.parse(list.stdout).servers as { name: string; local: boolean }[];
    expect(Object.fromEntries(rows.map((r) => [r.name, r.local]))).toEqual({ [LOCAL]: true, [REMOTE]: false });
    const text = await cli(['list']);
    const lines = text.stdout.split('\n');
    expect(lines.find((l) => l.startsWith(LOCAL))).toMatch(/LOCAL/);
    expect(lines.find((l) => l.startsWith(REMOTE))).not.toMatch(/LOCAL/);
  });

  it('update never replaces a LOCAL pin with a registry package of the same name', async () => {
    const update = await cli(['update', LOCAL, '--json']);
    expect(update.code).toBe(2);
    expect(update.stdout + update.stderr).toMatch(/LOCAL package pin/);
  });

  it('install on a clean clone reproduces it from the stored tarball; run serves it to the SDK client', async () => {
    const clone = join(work, 'clone');
    cpSync(project, clone, { recursive: true, filter: (src) => !src.includes(join('.mcp-lock', 'store')) });
    const install = await cli(['install', '--npm-registry', registry.url, '--json'], clone);
    expect(install.code, install.stdout + install.stderr).toBe(0);
    expect(JSON.parse(install.stdout).servers[LOCAL]).toBe('installed');
    expect(readdirSync(markers)).toEqual([]);
    const verify = await cli(['verify', '--json'], clone);
    expect(verify.code, verify.stdout).toBe(0);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'run', LOCAL, '--project', clone],
      env: { ...process.env, ...env() } as Record<string, string>,
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    const client = new Client({ name: 'local-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['shout']);
      const r = (await client.callTool({ name: 'shout', arguments: {} })) as { content: { text: string }[] };
      expect(r.content[0]!.text).toBe('LOCAL SERVER');
      expect(stderr).toMatch(/guarding npm\/my-local-mcp@1\.0\.0 LOCAL/);
    } finally {
      await client.close();
    }
  });

  it('a packed tarball as a file: spec pins the same bytes; bad paths are clear errors that store nothing', async () => {
    const second = join(work, 'second');
    mkdirSync(second);
    const packed = join(work, 'packed');
    mkdirSync(packed);
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', packed], {
      cwd: join(work, 'my-server'),
      stdio: 'ignore',
    });
    expect(readdirSync(markers)).toEqual([]);
    expect((await cli(['init'], second)).code).toBe(0);
    const missing = await cli(['add', '--tofu', './no-such-server', '--json'], second);
    expect(missing.code).not.toBe(0);
    expect(missing.stdout + missing.stderr).toMatch(/NOT_FOUND/);
    const empty = join(work, 'not-a-package');
    mkdirSync(empty);
    const broken = await cli(['add', '--tofu', empty, '--json'], second);
    expect(broken.code).not.toBe(0);
    expect(broken.stdout + broken.stderr).toMatch(/INSTALL_FAILED/);
    // A package that packs but is no server (no bin) fails the pin and leaves no tarball behind.
    const noBin = join(work, 'no-bin');
    mkdirSync(noBin);
    writeFileSync(join(noBin, 'package.json'), JSON.stringify({ name: 'no-bin', version: '1.0.0' }));
    const notServer = await cli(['add', '--tofu', noBin, '--json'], second);
    expect(notServer.code).not.toBe(0);
    expect(notServer.stdout + notServer.stderr).toMatch(/INSTALL_FAILED/);
    expect(readdirSync(join(second, '.mcp-lock')).includes('local') ? readdirSync(localDir(second)) : []).toEqual([]);
    const add = await cli(['add', '--tofu', `file:${join(packed, 'my-local-mcp-1.0.0.tgz')}`], second);
    expect(add.code, add.stdout + add.stderr).toBe(0);
    expect(add.stdout).toMatch(/LOCAL/);
    expect(readdirSync(localDir(second))).toEqual(readdirSync(localDir(project)));
    // Removing the pin removes the stored tarball it alone used.
    const removed = await cli(['remove', LOCAL], second);
    expect(removed.code, removed.stdout + removed.stderr).toBe(0);
    expect(readdirSync(localDir(second))).toEqual([]);
  });

  it('a tarball changed on disk fails install and verify with exit 1', async () => {
    const clone = join(work, 'tampered');
    cpSync(project, clone, { recursive: true, filter: (src) => !src.includes(join('.mcp-lock', 'store')) });
    const [file] = readdirSync(localDir(clone));
    const path = join(localDir(clone), file!);
    const bytes = readFileSync(path);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    writeFileSync(path, bytes);
    const install = await cli(['install', '--npm-registry', registry.url, '--json'], clone);
    expect(install.code, install.stdout + install.stderr).toBe(1);
    expect(install.stdout + install.stderr).toMatch(/INTEGRITY_MISMATCH/);
    expect(existsSync(join(clone, '.mcp-lock', 'store', encodeURIComponent(LOCAL)))).toBe(false);
    const verify = await cli(['verify', '--json'], clone);
    expect(verify.code, verify.stdout).toBe(1);
    expect(verify.stdout).toMatch(/INTEGRITY_MISMATCH/);
    // The installed project too: once its stored tarball changes, verify and run refuse the pin.
    const original = join(localDir(project), file!);
    writeFileSync(original, bytes);
    const verifyInstalled = await cli(['verify', '--json']);
    expect(verifyInstalled.code, verifyInstalled.stdout).toBe(1);
    const run = await cli(['run', LOCAL, '--json']);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/INTEGRITY_MISMATCH/);
  });
});
