// A server that really lists more than the default cap of 10,000 items (#16 point 6): 20,000 tools over
// 20 pages from a tiny stdio server on a loopback npm registry. Under the default cap `manifest` and `run`
// fail closed with LIMIT_EXCEEDED and say how to raise it; with --max-items 20000 it is introspected,
// pinned (add --tofu), verified and served whole through `run` to the SDK client. The peak RSS of the
// proxy and of the server it guards are printed for the record (bench/many-tools.ts reports them).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { type NpmRegistry, startNpmRegistry } from '../helpers/npm-registry.ts';
import { descendants, peakRssKiB } from '../helpers/proc.ts';
import { TINY_SERVER_JS } from '../helpers/tiny-server.ts';

const BIN = new URL('../../bin/mcp-lock.js', import.meta.url).pathname;
const TOOLS = 20_000;
const NAME = 'io.github.test/many-tools';

let work: string;
let registry: NpmRegistry;

const tools = Array.from({ length: TOOLS }, (_, i) => ({
  name: `tool_${String(i).padStart(5, '0')}`,
  description: `Returns record ${i} of the catalogue.`,
  inputSchema: { type: 'object', properties: { id: { type: 'string' } } },
}));

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mcp-lock-many-'));
  registry = await startNpmRegistry({
    packages: [
      {
        name: 'many-tools-mcp',
        version: '1.0.0',
        files: { 'server.js': TINY_SERVER_JS, 'surface.json': JSON.stringify({ tools, pageSize: 1000 }) },
        bin: { 'many-tools-mcp': 'server.js' },
      },
    ],
  });
});

afterAll(async () => {
  await registry?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const env = () => ({ npm_config_cache: join(work, 'npm-cache'), XDG_CACHE_HOME: join(work, 'cache') });
const cli = (args: string[]) => runCli(args, { cwd: work, env: env(), timeoutMs: 240_000 });

describe('a server with 20,000 tools', () => {
  it('manifest fails closed under the default cap, and says how to raise it', async () => {
    const r = await cli([
      'manifest',
      'many-tools-mcp@1.0.0',
      '--name',
      'io.github.test/many-tools',
      '--npm-registry',
      registry.url,
      '--json',
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc.error.code).toBe('LIMIT_EXCEEDED');
    expect(`${doc.error.message} ${doc.error.hint}`).toMatch(/more than 10000 items.*--max-items/s);
  });

  it('a bad --max-items is a usage error', async () => {
    for (const bad of ['0', '100001', '1e4', 'many']) {
      const r = await cli(['run', NAME, '--max-items', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toMatch(/--max-items must be a whole number from 1 to 100000/);
    }
  });

  it('with --max-items 20000: manifest reads it whole, add --tofu pins it, verify passes', async () => {
    const r = await cli([
      'manifest',
      'many-tools-mcp@1.0.0',
      '--name',
      'io.github.test/many-tools',
      '--npm-registry',
      registry.url,
      '--max-items',
      '20000',
      '--json',
    ]);
    expect(r.code, r.stdout.slice(0, 2000) + r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).manifest.surface.tools).toHaveLength(TOOLS);
    expect((await cli(['init'])).code).toBe(0);
    const add = await cli([
      'add',
      '--tofu',
      'many-tools-mcp@1.0.0',
      '--name',
      'io.github.test/many-tools',
      '--npm-registry',
      registry.url,
      '--max-items',
      '20000',
    ]);
    expect(add.code, add.stdout + add.stderr).toBe(0);
    const lock = JSON.parse(readFileSync(join(work, 'mcp-lock.json'), 'utf8'));
    expect(Object.keys(lock.servers)).toEqual([NAME]);
    expect(Object.keys(lock.servers[NAME].surface.tools)).toHaveLength(TOOLS);
    const verify = await cli(['verify', '--json']);
    expect(verify.code, verify.stdout).toBe(0);
  });

  async function connect(
    extra: string[],
  ): Promise<{ client: Client; transport: StdioClientTransport; stderr: () => string }> {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'run', NAME, '--project', work, ...extra],
      env: { ...process.env, ...env() } as Record<string, string>,
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    const client = new Client({ name: 'many-tools-test', version: '1.0.0' });
    await client.connect(transport);
    return { client, transport, stderr: () => stderr };
  }

  async function listAll(client: Client): Promise<string[]> {
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : {});
      names.push(...page.tools.map((t) => t.name));
      cursor = page.nextCursor;
    } while (cursor);
    return names;
  }

  it('run under the default cap refuses the listing (fail closed), and says how to raise it', async () => {
    const { client, stderr } = await connect([]);
    try {
      await expect(listAll(client)).rejects.toThrow(/more than 10000 items/);
      expect(stderr()).toMatch(/--max-items/);
    } finally {
      await client.close();
    }
  });

  it('run --max-items 20000 serves all 20,000 tools and a call; peak RSS of proxy and server recorded', async () => {
    const { client, transport } = await connect(['--max-items', '20000']);
    try {
      const names = await listAll(client);
      expect(names).toHaveLength(TOOLS);
      expect(names).toEqual(tools.map((t) => t.name));
      const call = (await client.callTool({ name: 'tool_19999', arguments: { id: 'x' } })) as {
        content: { text: string }[];
      };
      expect(call.content[0]!.text).toBe('called tool_19999');
      const proxy = transport.pid!;
      // The server's own node process (bwrap, its parent in the sandbox, also names server.js): the largest.
      const servers = descendants(proxy, 'server.js').map(peakRssKiB);
      expect(servers.length).toBeGreaterThan(0);
      const proxyKiB = peakRssKiB(proxy);
      const serverKiB = Math.max(...servers);
      console.log(
        `peak RSS at ${TOOLS} tools: proxy ${(proxyKiB / 1024).toFixed(1)} MiB, server ${(serverKiB / 1024).toFixed(1)} MiB, ratio ${(proxyKiB / serverKiB).toFixed(2)}×`,
      );
    } finally {
      await client.close();
    }
  });
});
