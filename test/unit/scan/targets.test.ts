// What `scan` is pointed at: manifests, locks and the four clients' config formats, and how each
// config server is launched (mcp-lock run, npx/npm exec, a URL, or something that cannot be scanned).

import { describe, expect, it } from 'vitest';
import { McpLockError } from '../../../core/errors.ts';
import type { McpLockFile } from '../../../core/generated/lockfile.ts';
import type { McpLockManifest } from '../../../core/generated/manifest.ts';
import { collectClientConfig, collectLock, type ScanSources } from '../../../core/scan/collect.ts';
import { classifyTarget, clientConfigServers } from '../../../core/scan/targets.ts';
import { LOCK_SCHEMA_ID, MANIFEST_SCHEMA_ID } from '../../../core/schema/validate.ts';
import { expectCodeAsync } from '../../helpers/expect-code.ts';

describe('classifyTarget', () => {
  it('tells manifests, locks and client configs apart', () => {
    expect(classifyTarget({ $schema: MANIFEST_SCHEMA_ID })).toBe('manifest');
    expect(classifyTarget({ $schema: LOCK_SCHEMA_ID, lockfileVersion: 1, servers: {} })).toBe('lock');
    expect(classifyTarget({ mcpServers: { a: { command: 'npx', args: ['-y', 'x'] } } })).toBe('client-config');
    expect(classifyTarget({ servers: { a: { type: 'stdio', command: 'node' } }, inputs: [] })).toBe('client-config');
    expect(classifyTarget({ projects: { '/p': { mcpServers: { a: { command: 'x' } } } } })).toBe('client-config');
    expect(classifyTarget({ servers: { a: 1 } })).toBeNull();
    expect(classifyTarget([])).toBeNull();
    expect(classifyTarget({ name: 'package.json' })).toBeNull();
  });
});

describe('clientConfigServers', () => {
  it('Claude Desktop / Cursor / Claude Code .mcp.json (mcpServers)', () => {
    const servers = clientConfigServers({
      mcpServers: {
        pinned: { command: 'mcp-lock', args: ['run', 'io.github.acme/weather', '--on-drift', 'filter'] },
        pinnedNpx: { command: 'npx', args: ['-y', 'mcp-lock@0.1.0', 'run', '-p', '../proj', 'io.github.acme/fs'] },
        pinnedNode: { command: '/usr/bin/node', args: ['/opt/mcp-lock/bin/mcp-lock.js', 'run', 'io.github.acme/git'] },
        everything: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-everything@2026.8.31', 'stdio'] },
        exec: { command: 'npm', args: ['exec', '--yes', '--', 'some-server@1.0.0', '--flag'] },
        remote: { url: 'https://mcp.example.com/mcp' },
        docker: { command: 'docker', args: ['run', '-i', 'mcp/fetch'] },
        local: { command: 'node', args: ['server.js'], env: { TOKEN: 'x' } },
      },
    });
    expect(servers.map((s) => [s.name, s.launch])).toEqual([
      ['pinned', { kind: 'mcp-lock-run', server: 'io.github.acme/weather', project: null }],
      ['pinnedNpx', { kind: 'mcp-lock-run', server: 'io.github.acme/fs', project: '../proj' }],
      ['pinnedNode', { kind: 'mcp-lock-run', server: 'io.github.acme/git', project: null }],
      ['everything', { kind: 'npm', spec: '@modelcontextprotocol/server-everything@2026.8.31', args: ['stdio'] }],
      ['exec', { kind: 'npm', spec: 'some-server@1.0.0', args: ['--flag'] }],
      ['remote', { kind: 'remote', url: 'https://mcp.example.com/mcp' }],
      ['docker', { kind: 'unsupported', reason: expect.stringContaining('docker run -i mcp/fetch') }],
      ['local', { kind: 'unsupported', reason: expect.stringContaining('node server.js') }],
    ]);
    expect(servers.at(-1)!.env).toEqual({ TOKEN: 'x' });
  });

  it('VS Code .vscode/mcp.json (servers, type, inputs)', () => {
    const servers = clientConfigServers({
      inputs: [{ type: 'promptString', id: 'key' }],
      servers: {
        fs: {
          type: 'stdio',
          command: 'npx',
          args: ['-y', '@modelcontextprotocol/server-filesystem@2026.8.31', '/tmp'],
        },
        web: { type: 'http', url: 'https://example.com/mcp' },
      },
    });
    expect(servers.map((s) => s.launch.kind)).toEqual(['npm', 'remote']);
  });

  it('Claude Code ~/.claude.json (top-level and per-project mcpServers)', () => {
    const servers = clientConfigServers({
      mcpServers: {
        a: { type: 'stdio', command: 'mcp-lock', args: ['run', 'io.github.x/a'], env: { MCP_LOCK_PROJECT: '/p' } },
      },
      projects: { '/home/me/app': { mcpServers: { b: { command: 'npx', args: ['b-server'] } } } },
    });
    expect(servers.map((s) => [s.name, s.launch])).toEqual([
      ['a', { kind: 'mcp-lock-run', server: 'io.github.x/a', project: '/p' }],
      ['/home/me/app#b', { kind: 'npm', spec: 'b-server', args: [] }],
    ]);
  });

  it('mcp-lock without run, and run without a name, are not scanned with a reason', () => {
    const servers = clientConfigServers({
      mcpServers: { a: { command: 'mcp-lock', args: ['verify'] }, b: { command: 'mcp-lock', args: ['run'] } },
    });
    expect(servers.map((s) => s.launch.kind)).toEqual(['unsupported', 'unsupported']);
  });
});

const manifest = (name: string, tools: object[]): McpLockManifest =>
  ({
    server: { name },
    surface: {
      instructions: null,
      tools: tools.map((t) => ({ definition: t })),
      prompts: [],
      resources: [],
      resourceTemplates: [],
    },
  }) as unknown as McpLockManifest;

function lockWith(names: string[], suppressions: object[] = []): McpLockFile {
  return {
    servers: Object.fromEntries(names.map((n) => [n, { manifest: `sha256:${n.length.toString().padStart(64, '0')}` }])),
    suppressions,
  } as unknown as McpLockFile;
}

function sources(locks: Record<string, McpLockFile>, manifests: Record<string, McpLockManifest>): ScanSources {
  return {
    lock: (dir) => {
      const lock = locks[dir];
      if (!lock) throw new McpLockError('LOCK_MISSING', `no mcp-lock.json in ${dir}`);
      return lock;
    },
    manifest: (dir, digest) => {
      const m = manifests[`${dir}:${digest}`];
      if (!m) throw new McpLockError('DIGEST_MISMATCH', 'tampered');
      return m;
    },
    npm: async (spec) => manifest('local.scan/npm-server', [{ name: `tool_of_${spec.length}`, description: 'x' }]),
    remote: null,
    resolveProject: (configDir, project) => project ?? configDir,
  };
}

describe('collect', () => {
  const d = (n: string) => `sha256:${n.length.toString().padStart(64, '0')}`;

  it('a lock: every pinned manifest, with the lock’s suppressions', () => {
    const lock = lockWith(
      ['io.x/a', 'io.x/bb'],
      [{ rule: 'r', server: 'io.x/a', item: 'tools/t', digest: d('x'), reason: 'ok' }],
    );
    const src = sources(
      { '/p': lock },
      { [`/p:${d('io.x/a')}`]: manifest('io.x/a', [{ name: 't' }]), [`/p:${d('io.x/bb')}`]: manifest('io.x/bb', []) },
    );
    const c = collectLock('/p', src);
    expect(c.servers.map((s) => s.server)).toEqual(['io.x/a', 'io.x/bb']);
    expect(c.suppressions).toHaveLength(1);
    expect(c.origins.get('io.x/a')).toEqual({ project: '/p', digest: d('io.x/a') });
  });

  it('a config: pinned servers from their lock, npm ones introspected, the rest not scanned with a reason', async () => {
    const lock = lockWith(['io.x/a']);
    const src = sources({ '/cfg': lock }, { [`/cfg:${d('io.x/a')}`]: manifest('io.x/a', [{ name: 'a_tool' }]) });
    const doc = {
      mcpServers: {
        a: { command: 'mcp-lock', args: ['run', 'io.x/a'] },
        missing: { command: 'mcp-lock', args: ['run', 'io.x/zzz'] },
        elsewhere: { command: 'mcp-lock', args: ['run', '-p', '/nowhere', 'io.x/a'] },
        npm: { command: 'npx', args: ['-y', 'pkg@1.0.0'] },
        remote: { url: 'https://r.example/mcp' },
        docker: { command: 'docker', args: ['run', 'x'] },
      },
    };
    const c = await collectClientConfig(doc, '/cfg', null, src);
    expect(c.servers.map((s) => s.server)).toEqual(['io.x/a', 'npm']);
    expect(c.notScanned.map((n) => [n.server, n.reason])).toEqual([
      ['missing', '"io.x/zzz" is not pinned in the lock of /cfg'],
      ['elsewhere', 'LOCK_MISSING: no mcp-lock.json in /nowhere'],
      ['remote', 'remote server https://r.example/mcp is not introspected offline'],
      ['docker', expect.stringContaining('docker run x')],
    ]);
  });

  it('--lock overrides where pinned servers are looked up; a tampered manifest fails the scan', async () => {
    const lock = lockWith(['io.x/a']);
    const src = sources({ '/other': lock }, {});
    await expectCodeAsync(
      () =>
        collectClientConfig(
          { mcpServers: { a: { command: 'mcp-lock', args: ['run', 'io.x/a'] } } },
          '/cfg',
          '/other',
          src,
        ),
      'DIGEST_MISMATCH',
    );
  });
});
