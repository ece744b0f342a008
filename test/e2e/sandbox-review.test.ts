// Permissions are part of what is signed and reviewed. A publisher makes a manifest of the real
// server-filesystem with its permissions (`manifest --allow-write '${arg:1}'`), then a 1.1.0 that also
// wants to read ~/.ssh and reach exfil.example:443, and a 1.2.0 that narrows it again; all three are signed,
// published to a real registry on port 0 and approved. A consumer pins 1.0.0: `list` shows its permissions,
// `diff --to 1.1.0` marks the widening, `update` refuses it even with --yes (exit 1, lock unchanged) until
// --allow-wider-permissions; the narrowing to 1.2.0 needs no such flag. The UI's server page of 1.1.0
// lists the wider permissions and its diff against 1.0.0 flags them.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: permission placeholders are literal text

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpLockManifest } from '../../core/generated/manifest.ts';
import { expectOk as ok } from '../helpers/cli.ts';
import { type E2eRegistry, startE2eRegistry } from '../helpers/e2e-registry.ts';

const NAME = 'io.github.test/files';
let setup: E2eRegistry;
let work: string;
let project: string;
let registry: E2eRegistry['registry'];

const cli = (args: string[], cwd = work) => setup.cli(args, cwd);

async function publish(manifest: McpLockManifest, file: string): Promise<void> {
  writeFileSync(join(work, file), JSON.stringify(manifest));
  await setup.publishFile(file);
}

beforeAll(async () => {
  setup = await startE2eRegistry({ prefix: 'mcp-lock-sandbox-review-', namespace: 'io.github.test' });
  ({ work, registry } = setup);
  const root = join(work, 'files-root');
  mkdirSync(root);
  ok(
    await cli([
      'manifest',
      '@modelcontextprotocol/server-filesystem@2026.8.31',
      '--name',
      NAME,
      '--arg',
      root,
      '--allow-write',
      '${arg:1}',
      '--out',
      'files.json',
    ]),
  );
  const v1 = JSON.parse(readFileSync(join(work, 'files.json'), 'utf8')) as McpLockManifest;
  expect(v1.permissions).toEqual({ filesystem: { write: ['${arg:1}'] }, network: {} });
  v1.server.version = '1.0.0';
  await publish(v1, 'v1.json');
  const v11 = structuredClone(v1);
  v11.server.version = '1.1.0';
  v11.permissions = {
    filesystem: { read: ['~/.ssh'], write: ['${arg:1}'] },
    network: { allow: ['exfil.example:443'] },
  };
  await publish(v11, 'v11.json');
  const v12 = structuredClone(v1);
  v12.server.version = '1.2.0';
  await publish(v12, 'v12.json');
  project = join(work, 'project');
  mkdirSync(project);
  ok(await cli(['init', '--registry', registry.url], project));
  ok(await cli(['add', `${NAME}@1.0.0`], project));
}, 300_000);

afterAll(async () => {
  await setup?.close();
});

describe('reviewing permissions', () => {
  it('list shows the pinned permissions', async () => {
    const list = ok(await cli(['list'], project));
    expect(list.stdout).toContain('write  ${arg:1}');
    expect(list.stdout).toContain('net    none');
    expect(JSON.parse(ok(await cli(['list', '--json'], project)).stdout).servers[0].permissions).toEqual({
      filesystem: { write: ['${arg:1}'] },
      network: {},
    });
  });

  it('diff marks the widening of 1.1.0', async () => {
    const diff = ok(await cli(['diff', NAME, '--to', '1.1.0'], project));
    expect(diff.stdout).toContain('permissions  WIDENED');
    expect(diff.stdout).toContain('+ filesystem.read: ~/.ssh  [wider]');
    expect(diff.stdout).toContain('+ network.allow: exfil.example:443  [wider]');
  });

  it('update refuses the widening even with --yes, and leaves the lock as it was', async () => {
    const before = readFileSync(join(project, 'mcp-lock.json'));
    const r = await cli(['update', `${NAME}@1.1.0`, '--yes', '--json'], project);
    expect(r.code, r.stdout).toBe(1);
    const error = JSON.parse(r.stdout).error;
    expect(error.code).toBe('PERMISSIONS_WIDENED');
    expect(error.message).toContain('filesystem.read ~/.ssh; network.allow exfil.example:443');
    expect(error.hint).toContain('--allow-wider-permissions');
    expect(readFileSync(join(project, 'mcp-lock.json')).equals(before)).toBe(true);
  });

  it('--allow-wider-permissions accepts it knowingly; narrowing again needs no flag', async () => {
    const wider = ok(await cli(['update', `${NAME}@1.1.0`, '--yes', '--allow-wider-permissions', '--json'], project));
    expect(JSON.parse(wider.stdout).to).toBe('1.1.0');
    const lock = JSON.parse(readFileSync(join(project, 'mcp-lock.json'), 'utf8'));
    expect(lock.servers[NAME].permissions.network.allow).toEqual(['exfil.example:443']);
    const narrower = ok(await cli(['update', `${NAME}@1.2.0`, '--yes', '--json'], project));
    expect(JSON.parse(narrower.stdout).diff.permissions.narrowed).toHaveLength(2);
    ok(await cli(['verify'], project));
  });

  it('the UI shows the permissions of a version and flags the widening in its diff', async () => {
    const page = await (await fetch(`${registry.url}/ui/server?name=${encodeURIComponent(NAME)}&version=1.1.0`)).text();
    expect(page).toContain('<code>~/.ssh</code>');
    expect(page).toContain('<code>exfil.example:443</code>');
    const diff = await (
      await fetch(`${registry.url}/ui/diff?name=${encodeURIComponent(NAME)}&from=1.0.0&to=1.1.0`)
    ).text();
    expect(diff).toContain('may reach more than the other: 2 wider permissions');
    expect(diff.match(/permission-widened/g)).toHaveLength(2);
  });
});
