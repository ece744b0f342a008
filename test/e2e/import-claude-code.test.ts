// `mcp-lock import` through the real CLI on a Claude Code .mcp.json: an npm server a real registry (port 0)
// publishes, signed and approved, comes from the registry; an npm server nobody published and a remote
// Streamable HTTP server are pinned TOFU (unsigned, env recorded by name only); uvx and docker entries are
// reported, not imported. Packages come from a loopback npm registry (tiny dependency-free servers), so no
// real npm install runs. Then wrap uses the new pins, and an entry whose verification fails writes nothing.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveLockedServer } from '../../adapters/project/launch.ts';
import type { McpLockManifest } from '../../core/generated/manifest.ts';
import { treeDigest } from '../../core/manifest/check-tree.ts';
import { type ScenarioHttpServer, startScenarioHttp } from '../fixtures/mcp-servers/scenario-http.mjs';
import { stdoutJson as json, expectOk as ok } from '../helpers/cli.ts';
import { type E2eRegistry, startE2eRegistry } from '../helpers/e2e-registry.ts';
import { type FakePackage, type NpmRegistry, startNpmRegistry, tarballPath } from '../helpers/npm-registry.ts';
import type { RegistryProcess } from '../helpers/registry-process.ts';
import { TINY_SERVER_JS } from '../helpers/tiny-server.ts';

const KNOWN = 'io.github.test/known';
const SECRET = 's3cr3t-value-from-the-config';
// biome-ignore lint/suspicious/noTemplateCurlyInString: Claude Code's ${VAR} expansion, unset while pinning
const UNSET_REFERENCE = '${MCP_LOCK_TEST_UNSET_PATH}';
const NPMJS = 'https://registry.npmjs.org';

function tinyPackage(name: string, tool: string): FakePackage {
  return {
    name,
    version: '1.0.0',
    files: {
      'server.js': TINY_SERVER_JS,
      'surface.json': JSON.stringify({
        instructions: `The ${tool} server.`,
        tools: [{ name: tool, description: `The ${tool} tool`, inputSchema: { type: 'object' } }],
      }),
    },
    bin: { [name.split('/').pop()!]: 'server.js' },
  };
}

let setup: E2eRegistry;
let work: string;
let npm: NpmRegistry;
let swapped: NpmRegistry;
let registry: RegistryProcess;
let remote: ScenarioHttpServer;

const cli = (args: string[], cwd: string, extra: Record<string, string> = {}) => setup.cli(args, cwd, extra);

beforeAll(async () => {
  setup = await startE2eRegistry({ prefix: 'mcp-lock-import-', namespace: 'io.github.test', cliTimeoutMs: 120_000 });
  ({ work, registry } = setup);
  const known = tinyPackage('@test/known-mcp', 'lookup');
  npm = await startNpmRegistry({ packages: [known, tinyPackage('@test/unknown-mcp', 'note')] });
  // A mirror that serves another tarball for the published package: its pinned integrity must refuse it.
  swapped = await startNpmRegistry({
    packages: [known],
    swap: { [tarballPath('@test/known-mcp', '1.0.0')]: Buffer.from('not the pinned tarball') },
  });

  // The published manifest names registry.npmjs.org, as a real one would; consumers here download the same
  // tarball through the loopback mirror (--npm-registry), checked against the pinned integrity.
  ok(
    await cli(
      ['manifest', '@test/known-mcp@1.0.0', '--npm-registry', npm.url, '--name', KNOWN, '--out', 'known.json'],
      work,
    ),
  );
  const manifest = JSON.parse(readFileSync(join(work, 'known.json'), 'utf8')) as McpLockManifest;
  const pkg = manifest.package!;
  for (const node of pkg.tree) node.resolved = node.resolved.replace(npm.url, NPMJS);
  pkg.resolved = pkg.resolved.replace(npm.url, NPMJS);
  pkg.treeDigest = treeDigest(pkg.tree);
  manifest.server.packages![0]!.registryBaseUrl = NPMJS;
  writeFileSync(join(work, 'known.json'), JSON.stringify(manifest));
  await setup.publishFile('known.json');

  const scenario = join(work, 'remote-scenario.json');
  writeFileSync(
    scenario,
    JSON.stringify({
      era: 'stateless',
      name: 'remote-search',
      pinned: { tools: [{ name: 'search', description: 'Search.', inputSchema: { type: 'object' } }] },
    }),
  );
  remote = await startScenarioHttp(scenario);
}, 180_000);

afterAll(async () => {
  await remote?.close();
  await swapped?.close();
  await npm?.close();
  await setup?.close();
});

function project(label: string, servers: Record<string, unknown>): string {
  const dir = join(work, label);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, '.mcp.json'), `${JSON.stringify({ mcpServers: servers }, null, 2)}\n`);
  return dir;
}

/** The lock and every file under .mcp-lock except the installed store: where a leaked secret would be. */
function writtenText(dir: string): string {
  const files = readdirSync(join(dir, '.mcp-lock'), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && !join(d.parentPath, d.name).includes(`${join('.mcp-lock', 'store')}`))
    .map((d) => join(d.parentPath, d.name));
  return [join(dir, 'mcp-lock.json'), ...files].map((f) => readFileSync(f, 'utf8')).join('\n');
}

describe('mcp-lock import --client claude-code', () => {
  let dir: string;

  it('pins the published server from the registry and the others TOFU; reports what it cannot import', async () => {
    dir = project('project', {
      known: {
        command: 'npx',
        args: ['-y', '@test/known-mcp@1.0.0'],
        env: { KNOWN_REGION: 'eu', KNOWN_DEBUG: '1' },
        envFile: '.env.known',
      },
      unknown: {
        type: 'stdio',
        command: 'npx',
        args: ['-y', '@test/unknown-mcp', 'extra-arg'],
        // A variable with no value at pin time: the TOFU pin does not need it.
        env: { UNKNOWN_TOKEN: SECRET, UNKNOWN_PATH: UNSET_REFERENCE },
      },
      search: { type: 'http', url: remote.url },
      fetch: { command: 'uvx', args: ['mcp-server-fetch'] },
      time: { command: 'docker', args: ['run', '-i', '--rm', 'mcp/time'] },
    });
    ok(await cli(['init', '--registry', registry.url], dir));
    const r = await cli(
      ['import', '--client', 'claude-code', '--npm-registry', npm.url, '--pass-env', 'KNOWN_REGION', '--json'],
      dir,
    );
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const rows = Object.fromEntries(json(r).servers.map((s: { key: string }) => [s.key, s]));
    expect(rows.known).toMatchObject({ status: 'imported', name: KNOWN, source: 'registry', unsigned: false });
    // The registry's manifest declares no variables: --pass-env lets KNOWN_REGION through, the rest is reported.
    expect(rows.known.notes.join('\n')).toMatch(/passes KNOWN_REGION from the caller's environment/);
    expect(rows.known.notes.join('\n')).toMatch(/does not declare KNOWN_DEBUG, so run will not pass it/);
    expect(rows.known.notes.join('\n')).toMatch(/\.env\.known \(envFile\).*drops the rest/);
    expect(rows.known.registry).toBe(registry.url);
    expect(rows.unknown).toMatchObject({
      status: 'imported',
      name: 'npm.test/unknown-mcp',
      source: 'tofu',
      unsigned: true,
    });
    expect(rows.search).toMatchObject({ status: 'imported', name: '127.0.0.1/search', source: 'tofu', unsigned: true });
    expect(rows.fetch.status).toBe('skipped');
    expect(rows.fetch.reason).toMatch(/uvx is not an npm package runner/);
    expect(rows.time.status).toBe('skipped');
    expect(rows.time.reason).toMatch(/docker/);

    const lock = JSON.parse(readFileSync(join(dir, 'mcp-lock.json'), 'utf8'));
    expect(Object.keys(lock.servers).sort()).toEqual(['127.0.0.1/search', KNOWN, 'npm.test/unknown-mcp'].sort());
    expect(lock.servers[KNOWN].source).toEqual({ type: 'registry', registry: registry.url });
    expect(lock.servers[KNOWN].signer.type).toBe('key');
    expect(lock.servers[KNOWN].approval.registry).toBe(registry.url);
    expect(lock.servers[KNOWN].unsigned).toBeUndefined();
    expect(lock.servers[KNOWN].passEnv).toEqual(['KNOWN_REGION']);
    // run passes exactly the lock's passEnv names from the caller, nothing else undeclared.
    const launched = resolveLockedServer(dir, KNOWN, { PATH: '/usr/bin', KNOWN_REGION: 'eu', KNOWN_DEBUG: '1' });
    if (launched.launch.kind !== 'stdio') throw new Error('expected a stdio server');
    expect(launched.launch.launch.env).toEqual({ PATH: '/usr/bin', KNOWN_REGION: 'eu' });
    const list = await cli(['list'], dir);
    expect(list.stdout).toMatch(/passes from the caller's environment: KNOWN_REGION/);
    expect(lock.servers['npm.test/unknown-mcp']).toMatchObject({
      source: { type: 'tofu', spec: '@test/unknown-mcp' },
      unsigned: true,
      signer: null,
      approval: null,
    });
    expect(lock.servers['127.0.0.1/search'].remote.url).toBe(remote.url);

    const hex = lock.servers['npm.test/unknown-mcp'].manifest.slice(7);
    const manifest = JSON.parse(readFileSync(join(dir, '.mcp-lock', 'manifests', `${hex}.json`), 'utf8'));
    expect(manifest.server.packages[0].packageArguments).toEqual([{ type: 'positional', value: 'extra-arg' }]);
    expect(manifest.server.packages[0].environmentVariables).toEqual([
      { name: 'UNKNOWN_TOKEN', isSecret: true, isRequired: false },
      { name: 'UNKNOWN_PATH', isSecret: true, isRequired: false },
    ]);
    expect(writtenText(dir)).not.toContain(SECRET);
    expect(writtenText(dir)).toContain('UNKNOWN_TOKEN');

    const human = await cli(['import', '--client', 'claude-code', '--npm-registry', npm.url], dir);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/0 imported, 3 already pinned, 2 not importable, 0 failed/);
  });

  it('the pins verify, and wrap runs every imported entry through mcp-lock run', async () => {
    const verify = await cli(['verify', '--json'], dir);
    expect(verify.code, verify.stdout).toBe(0);
    const wrap = await cli(['wrap', '--client', 'claude-code', '--skip-unpinned', '--json'], dir);
    expect(wrap.code, wrap.stdout + wrap.stderr).toBe(0);
    const actions = Object.fromEntries(
      json(wrap).servers.map((s: { key: string; action: string }) => [s.key, s.action]),
    );
    expect(json(wrap).notInstalled).toEqual([]);
    expect(actions).toEqual({
      known: 'wrap',
      unknown: 'wrap',
      search: 'wrap',
      fetch: 'unsupported',
      time: 'unsupported',
    });
    const config = JSON.parse(readFileSync(join(dir, '.mcp.json'), 'utf8')).mcpServers;
    expect(config.unknown.env).toEqual({ UNKNOWN_TOKEN: SECRET, UNKNOWN_PATH: UNSET_REFERENCE });
    expect(config.unknown.args).toContain('npm.test/unknown-mcp');
  });

  it('writes nothing for an entry whose verification fails, and still imports the others', async () => {
    const other = project('tampered', {
      known: { command: 'npx', args: ['-y', '@test/known-mcp@1.0.0'] },
      search: { type: 'http', url: remote.url },
      fetch: { command: 'uvx', args: ['mcp-server-fetch'] },
    });
    ok(await cli(['init', '--registry', registry.url], other));
    // A cold npm cache: the cache is addressed by integrity, so a warm one would never ask the mirror.
    const r = await cli(['import', '--client', 'claude-code', '--npm-registry', swapped.url, '--json'], other, {
      npm_config_cache: join(work, 'cold-npm-cache'),
    });
    expect(r.code).toBe(1);
    const rows = Object.fromEntries(json(r).servers.map((s: { key: string }) => [s.key, s]));
    expect(json(r).ok).toBe(false);
    expect(rows.known.status).toBe('failed');
    expect(rows.known.error.code).toBe('INTEGRITY_MISMATCH');
    expect(rows.known.error.message).toMatch(/does not match its pinned integrity/);
    expect(rows.search.status).toBe('imported');
    expect(rows.fetch.status).toBe('skipped');
    const lock = JSON.parse(readFileSync(join(other, 'mcp-lock.json'), 'utf8'));
    expect(Object.keys(lock.servers)).toEqual(['127.0.0.1/search']);
    expect(readdirSync(join(other, '.mcp-lock', 'manifests'))).toEqual([
      `${lock.servers['127.0.0.1/search'].manifest.slice(7)}.json`,
    ]);
    expect(readdirSync(join(other, '.mcp-lock', 'store'))).toEqual([]);
  });
});
