// The consumer CLI end to end on a package served by a loopback npm registry whose package and
// dependency carry install scripts: manifest and add never run them; install on a clean clone
// reproduces the exact bytes and is a no-op the second time; verify notices every kind of tampering.

import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedFilesDigest, listFiles } from '../../adapters/npm/files-digest.ts';
import { runCli } from '../helpers/cli.ts';
import { type NpmRegistry, startNpmRegistry } from '../helpers/npm-registry.ts';
import { TINY_SERVER_JS } from '../helpers/tiny-server.ts';

const NAME = 'io.github.test/scripted';
/** The package's mcpName is only its claim: a TOFU pin is named for the npm package, as import names it. */
const PINNED = 'npm.test/scripted-mcp';
let registry: NpmRegistry;
let work: string;
let markers: string;
let project: string;

const script = (label: string) =>
  `node -e "require('fs').writeFileSync(require('path').join(process.env.MARKER_DIR||'/tmp','${label}'),'ran')"`;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mcp-lock-tofu-'));
  markers = join(work, 'markers');
  registry = await startNpmRegistry({
    packages: [
      {
        name: 'evil-dep',
        version: '1.0.0',
        files: { 'index.js': 'module.exports = 1;\n' },
        scripts: { preinstall: script('dep-preinstall'), postinstall: script('dep-postinstall') },
      },
      {
        name: '@test/scripted-mcp',
        version: '1.0.0',
        files: {
          'server.js': TINY_SERVER_JS,
          'surface.json': JSON.stringify({
            instructions: 'Scripted test server.',
            tools: [{ name: 'hello', description: 'Say hello', inputSchema: { type: 'object' } }],
          }),
        },
        bin: { 'scripted-mcp': 'server.js' },
        dependencies: { 'evil-dep': '1.0.0' },
        scripts: { install: script('pkg-install'), postinstall: script('pkg-postinstall') },
        extra: { mcpName: NAME, description: 'A test server whose install scripts must never run' },
      },
    ],
  });
  project = join(work, 'project');
  mkdirSync(project, { recursive: true });
  mkdirSync(markers, { recursive: true });
});

afterAll(async () => {
  await registry.close();
  rmSync(work, { recursive: true, force: true });
});

const env = () => ({ MARKER_DIR: markers, npm_config_cache: join(work, 'npm-cache') });
const cli = (args: string[], cwd = project) => runCli(args, { cwd, env: env(), timeoutMs: 120_000 });

describe('consumer CLI with a TOFU pin', () => {
  it('manifest installs without running install scripts and records that they exist', async () => {
    const r = await cli([
      'manifest',
      '@test/scripted-mcp@1.0.0',
      '--npm-registry',
      registry.url,
      '--out',
      join(work, 'm.json'),
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(work, 'm.json'), 'utf8'));
    expect(manifest.server.name).toBe(NAME);
    expect(manifest.surface.tools.map((t: { key: string }) => t.key)).toEqual(['hello']);
    const nodes = manifest.package.tree.map((n: { location: string; hasInstallScript?: boolean }) => [
      n.location,
      n.hasInstallScript,
    ]);
    expect(nodes).toEqual([
      ['node_modules/@test/scripted-mcp', true],
      ['node_modules/evil-dep', true],
    ]);
    expect(existsSync(join(markers, 'pkg-install'))).toBe(false);
    expect(existsSync(join(markers, 'pkg-postinstall'))).toBe(false);
    expect(existsSync(join(markers, 'dep-preinstall'))).toBe(false);
    expect(existsSync(join(markers, 'dep-postinstall'))).toBe(false);
  });

  it('init, add --tofu and verify; the pin is marked unsigned; still no script ran', async () => {
    expect((await cli(['init'])).code).toBe(0);
    expect((await cli(['init'])).code).toBe(2);
    const add = await cli(['add', '--tofu', '@test/scripted-mcp@1.0.0', '--npm-registry', registry.url]);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toMatch(/UNSIGNED/);
    const lock = JSON.parse(readFileSync(join(project, 'mcp-lock.json'), 'utf8'));
    expect(lock.servers[PINNED].unsigned).toBe(true);
    expect(lock.servers[PINNED].source).toEqual({ type: 'tofu', spec: '@test/scripted-mcp@1.0.0' });
    const verify = await cli(['verify', '--json']);
    expect(verify.code, verify.stdout).toBe(0);
    expect(JSON.parse(verify.stdout).servers[0]).toMatchObject({ name: PINNED, unsigned: true, installed: 'ok' });
    expect(readFileSync(join(project, '.mcp-lock', '.gitignore'), 'utf8')).toMatch(/^store\/$/m);
    // import names the same package the same way: it finds the pin, and the lock keeps one entry for it.
    const config = join(work, 'claude.json');
    writeFileSync(
      config,
      JSON.stringify({ mcpServers: { scripted: { command: 'npx', args: ['-y', '@test/scripted-mcp@1.0.0'] } } }),
    );
    const imported = await cli([
      'import',
      '--client',
      'claude-desktop',
      '--config',
      config,
      '--npm-registry',
      registry.url,
      '--json',
    ]);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    const after = JSON.parse(readFileSync(join(project, 'mcp-lock.json'), 'utf8'));
    expect(Object.keys(after.servers)).toEqual([PINNED]);
    expect(existsSync(join(markers, 'pkg-postinstall')) || existsSync(join(markers, 'dep-postinstall'))).toBe(false);
  });

  it('install on a clean clone reproduces byte-identical trees; a second install is a no-op', async () => {
    const clone = join(work, 'clone');
    cpSync(project, clone, { recursive: true, filter: (src) => !src.includes(`${join('.mcp-lock', 'store')}`) });
    expect(existsSync(join(clone, '.mcp-lock', 'store'))).toBe(false);
    const first = await cli(['install', '--npm-registry', registry.url, '--json'], clone);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).servers[PINNED]).toBe('installed');
    const storeOf = (root: string) => {
      const lock = JSON.parse(readFileSync(join(root, 'mcp-lock.json'), 'utf8'));
      const hex = lock.servers[PINNED].manifest.slice(7);
      return join(root, '.mcp-lock', 'store', encodeURIComponent(PINNED), hex, 'node_modules');
    };
    expect(listFiles(storeOf(clone))).toEqual(listFiles(storeOf(project)));
    expect(installedFilesDigest(storeOf(clone))).toBe(
      JSON.parse(readFileSync(join(clone, 'mcp-lock.json'), 'utf8')).servers[PINNED].package.files,
    );
    const lockBefore = readFileSync(join(clone, 'mcp-lock.json'));
    const requestsBefore = registry.requests.length;
    const second = await cli(['install', '--npm-registry', registry.url, '--json'], clone);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).servers[PINNED]).toBe('unchanged');
    expect(registry.requests.length).toBe(requestsBefore);
    expect(readFileSync(join(clone, 'mcp-lock.json')).equals(lockBefore)).toBe(true);
    expect(existsSync(join(markers, 'pkg-install'))).toBe(false);
  });

  it('verify exits 1 when a file inside the installed server changed, and install repairs it', async () => {
    const lock = JSON.parse(readFileSync(join(project, 'mcp-lock.json'), 'utf8'));
    const serverJs = join(
      project,
      '.mcp-lock',
      'store',
      encodeURIComponent(PINNED),
      lock.servers[PINNED].manifest.slice(7),
      'node_modules',
      '@test',
      'scripted-mcp',
      'server.js',
    );
    writeFileSync(serverJs, `${readFileSync(serverJs, 'utf8')}\n// injected\n`);
    const verify = await cli(['verify']);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/INTEGRITY_MISMATCH/);
    const gh = await cli(['verify', '--format', 'github']);
    expect(gh.stdout).toMatch(/^::error file=mcp-lock\.json,title=mcp-lock INTEGRITY_MISMATCH::/m);
    expect((await cli(['install', '--npm-registry', registry.url])).code).toBe(0);
    expect((await cli(['verify'])).code).toBe(0);
  });

  it('verify exits 1 on a hand-edited lock (integrity, manifest digest, tool pin) and 2 on a broken one', async () => {
    const lockPath = join(project, 'mcp-lock.json');
    const original = readFileSync(lockPath, 'utf8');
    try {
      const lock = JSON.parse(original);
      const edits: ((l: typeof lock) => void)[] = [
        (l) => {
          l.servers[PINNED].package.integrity = `sha512-${'A'.repeat(86)}==`;
        },
        (l) => {
          l.servers[PINNED].manifest = `sha256:${'0'.repeat(64)}`;
        },
        (l) => {
          l.servers[PINNED].surface.tools.hello = `sha256:${'1'.repeat(64)}`;
        },
        (l) => {
          l.servers[PINNED].unsigned = undefined;
        },
      ];
      for (const edit of edits) {
        const copy = structuredClone(lock);
        edit(copy);
        writeFileSync(lockPath, JSON.stringify(copy, null, 2));
        const r = await cli(['verify', '--json']);
        expect(r.code, r.stdout).toBe(1);
        expect(JSON.parse(r.stdout).ok).toBe(false);
      }
      writeFileSync(lockPath, original.replace('"lockfileVersion": 1', '"lockfileVersion": 1, "lockfileVersion": 1'));
      expect((await cli(['verify'])).code).toBe(2);
      rmSync(lockPath);
      const missing = await cli(['verify', '--json']);
      expect(missing.code).toBe(2);
      expect(JSON.parse(missing.stdout).error.code).toBe('LOCK_MISSING');
      expect((await cli(['install'])).code).toBe(2);
    } finally {
      writeFileSync(lockPath, original);
    }
    expect((await cli(['verify'])).code).toBe(0);
  });

  it('list, diff --live and remove', async () => {
    const list = await cli(['list', '--json']);
    expect(JSON.parse(list.stdout).servers[0]).toMatchObject({ name: PINNED, unsigned: true });
    const diff = await cli(['diff', PINNED, '--live', '--json']);
    expect(diff.code, diff.stderr).toBe(0);
    const d = JSON.parse(diff.stdout).diff;
    expect(d.surface.tools).toEqual({ added: [], removed: [], changed: [] });
    const removed = await cli(['remove', PINNED]);
    expect(removed.code).toBe(0);
    expect(JSON.parse(readFileSync(join(project, 'mcp-lock.json'), 'utf8')).servers).toEqual({});
    expect((await cli(['remove', PINNED])).code).toBe(2);
  });
});
