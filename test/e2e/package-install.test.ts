// The published package, as a user gets it: `npm pack` (prepack compiles dist/), then `npm i -g` of the
// tarball into a temporary prefix, on Node 24 and on Node 22 (the npm registry's node@22), and `npx` from the
// tarball. The installed mcp-lock reports its version, creates a lock and pins a real MCP server from the
// npm registry trust-on-first-use. The tarball carries the compiled code and no tests, fixtures or sources.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanNpmEnv, installNode } from '../helpers/node-release.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
};
const NODE_22 = '22.23.3';
const SERVER = '@modelcontextprotocol/server-everything@2026.8.31';

let work: string;
let tarball: string;
let node22: string;

function sh(command: string, args: string[], options: { cwd?: string; path: string; timeout?: number }) {
  const env = cleanNpmEnv({ PATH: `${options.path}${delimiter}${process.env.PATH ?? ''}` });
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? work,
    env,
    encoding: 'utf8',
    timeout: options.timeout ?? 240_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mcp-lock-package-'));
  const packed = sh('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: ROOT,
    path: dirname(process.execPath),
  });
  expect(packed.stderr).not.toMatch(/npm error/);
  const [info] = JSON.parse(packed.stdout) as { filename: string }[];
  tarball = join(work, info?.filename ?? '');
  node22 = installNode(NODE_22, join(work, 'node22'));
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('has a name the npm registry does not already give to someone else', () => {
    const view = sh('npm', ['view', PKG.name, 'name'], { path: dirname(process.execPath), timeout: 60_000 });
    // Free (404), or ours once published: then it is this package.
    if (view.status === 0) expect(view.stdout.trim()).toBe(PKG.name);
    else expect(view.stderr).toMatch(/E404/);
    expect(PKG.bin['mcp-lock']).toBe('bin/mcp-lock.js');
  });

  it('ships the compiled code and the schemas, and no tests, fixtures or TypeScript sources', () => {
    const listing = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).stdout.trim().split('\n');
    expect(listing).toContain('package/bin/mcp-lock.js');
    expect(listing).toContain('package/dist/cli/main.js');
    expect(listing).toContain('package/dist/registry/ui/assets/ui.js');
    expect(listing).toContain('package/dist/adapters/sigstore/public-good-trusted-root.json');
    expect(listing).toContain('package/schemas/manifest.schema.json');
    expect(listing.filter((f) => /^package\/(test|bench|demo|scripts|\.ci)\//.test(f))).toEqual([]);
    expect(listing.filter((f) => f.endsWith('.ts'))).toEqual([]);
    expect(listing.filter((f) => /fixtures|examples/.test(f))).toEqual([]);
  });
});

describe.each([
  ['24', () => dirname(process.execPath)],
  ['22', () => node22],
])('installed globally on Node %s', (major, nodeBin) => {
  let prefix: string;
  let path: string;

  beforeAll(() => {
    prefix = join(work, `prefix-${major}`);
    path = [nodeBin(), join(prefix, 'bin')].join(delimiter);
    const installed = sh('npm', ['install', '--global', '--prefix', prefix, tarball], { path, timeout: 480_000 });
    expect(installed.stderr).not.toMatch(/npm error/);
    expect(installed.status).toBe(0);
  }, 600_000);

  it(`runs on Node ${major} and reports the package version`, () => {
    const node = sh('node', ['--version'], { path });
    expect(node.stdout).toMatch(new RegExp(`^v${major}\\.`));
    const version = sh('mcp-lock', ['--version'], { path });
    expect(version.stderr).toBe('');
    expect(version.stdout.trim()).toBe(PKG.version);
    // The installed bin is the package's launcher, not a link into this clone.
    const which = sh('sh', ['-c', 'command -v mcp-lock'], { path });
    expect(which.stdout.trim()).toBe(join(prefix, 'bin', 'mcp-lock'));
    expect(existsSync(join(prefix, 'lib', 'node_modules', PKG.name, 'dist', 'cli', 'main.js'))).toBe(true);
  });

  it('creates a lock with init and pins a real npm server with add --tofu', () => {
    const project = join(work, `project-${major}`);
    mkdirSync(project);
    const init = sh('mcp-lock', ['init'], { cwd: project, path });
    expect(init.stderr).toBe('');
    expect(init.status).toBe(0);
    const added = sh('mcp-lock', ['add', '--tofu', SERVER, '--json'], { cwd: project, path, timeout: 300_000 });
    expect(added.status, added.stderr).toBe(0);
    const lock = JSON.parse(readFileSync(join(project, 'mcp-lock.json'), 'utf8')) as {
      servers: Record<string, { version: string; package?: { identifier: string } }>;
    };
    const entries = Object.values(lock.servers);
    expect(entries).toHaveLength(1);
    const entry = entries[0];
    expect(entry?.version).toBe('2026.8.31');
    expect(entry?.package?.identifier).toBe('@modelcontextprotocol/server-everything');
  }, 360_000);
});

describe('npx from the tarball', () => {
  it('runs mcp-lock --version on Node 22', () => {
    const path = node22;
    const ran = sh('npm', ['exec', '--yes', `--package=${tarball}`, '--', 'mcp-lock', '--version'], {
      path,
      timeout: 480_000,
    });
    expect(ran.status, ran.stderr).toBe(0);
    expect(ran.stdout.trim().split('\n').at(-1)).toBe(PKG.version);
  }, 600_000);
});
