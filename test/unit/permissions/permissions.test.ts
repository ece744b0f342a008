// biome-ignore-all lint/suspicious/noTemplateCurlyInString: permission placeholders are literal text
// Permissions: what flags become, what counts as wider, how placeholders resolve, and which network
// targets match. Each adversarial case has a benign twin that must pass.

import { describe, expect, it } from 'vitest';
import type { Permissions } from '../../../core/generated/manifest.ts';
import {
  checkPermissions,
  comparePermissions,
  networkAllowed,
  noPermissions,
  parsePermissionFlags,
} from '../../../core/permissions/permissions.ts';
import { resolvePermissions } from '../../../core/permissions/resolve-permissions.ts';
import { checkManifestSchema } from '../../../core/schema/validate.ts';
import { expectCode } from '../../helpers/expect-code.ts';

const ctx = { project: '/p/proj', data: '/p/proj/.mcp-lock/data/x', home: '/home/u', args: ['/srv/root', 'rel'] };

describe('parsePermissionFlags', () => {
  it('records placeholders and absolute paths, lower-cases hosts, drops duplicates and trailing slashes', () => {
    expect(
      parsePermissionFlags({
        read: ['~/docs', '~/docs/', '/etc/hosts'],
        write: ['${arg:1}', '${data}'],
        net: ['API.example.com:443', 'api.example.com:443', '*.github.com:*'],
      }),
    ).toEqual({
      filesystem: { read: ['~/docs', '/etc/hosts'], write: ['${arg:1}', '${data}'] },
      network: { allow: ['api.example.com:443', '*.github.com:*'] },
    });
    expect(parsePermissionFlags({})).toEqual(noPermissions());
  });

  it.each([
    ['relative path', { read: ['docs'] }],
    ['.. segment', { read: ['${project}/../secrets'] }],
    ['. segment', { write: ['/tmp/./x'] }],
    ['unknown placeholder', { read: ['${home}/x'] }],
    ['empty path', { read: [''] }],
    ['no port', { net: ['example.com'] }],
    ['port out of range', { net: ['example.com:70000'] }],
    ['URL instead of host:port', { net: ['https://example.com:443'] }],
    ['wildcard inside a name', { net: ['api.*.com:443'] }],
  ])('refuses a %s', (_label, flags) => {
    expectCode(() => parsePermissionFlags(flags), 'USAGE');
  });
});

describe('schema and checkPermissions', () => {
  const manifestWith = (permissions: unknown) => ({
    $schema: 'https://schemas.mcp-lock.dev/manifest/v1.json',
    manifestVersion: 1,
    server: { name: 'io.github.a/b', description: 'd', version: '1.0.0' },
    surface: {
      protocolVersion: '2025-06-18',
      coverage: { canonicalization: 'RFC8785', digest: 'sha256', scope: 'wire-object', kinds: [] },
      instructions: null,
      tools: [],
      prompts: [],
      resources: [],
      resourceTemplates: [],
    },
    permissions,
  });
  it('the schema accepts declared permissions and refuses traversal and unknown fields', () => {
    expect(checkManifestSchema(manifestWith({ filesystem: { read: ['~/x'] }, network: {} }))).toEqual([]);
    expect(checkManifestSchema(manifestWith({ filesystem: { read: ['~/../x'] }, network: {} })).length).toBeGreaterThan(
      0,
    );
    expect(checkManifestSchema(manifestWith({ filesystem: {}, network: {}, shell: true })).length).toBeGreaterThan(0);
  });
  it('finds duplicates the schema lets through', () => {
    const p: Permissions = { filesystem: { read: ['/a', '/a/'] }, network: { allow: ['x.io:1', 'X.io:1'] } };
    expect(checkPermissions(p).map((f) => f.path)).toEqual([
      '$.permissions.filesystem.read[1]',
      '$.permissions.network.allow[1]',
    ]);
    expect(checkPermissions({ filesystem: { read: ['/a', '/b'] }, network: { allow: ['x.io:1'] } })).toEqual([]);
  });
});

describe('comparePermissions', () => {
  const base: Permissions = { filesystem: { read: ['${arg:1}'] }, network: {} };
  it('a new path, a read path made writable, a new host and dropping the sandbox are wider', () => {
    const wider: Permissions = {
      filesystem: { read: ['${arg:1}', '~/.ssh'], write: ['${arg:1}'] },
      network: { allow: ['evil.example:443'] },
    };
    expect(comparePermissions(base, wider).widened).toEqual([
      { field: 'filesystem.read', value: '~/.ssh' },
      { field: 'filesystem.write', value: '${arg:1}' },
      { field: 'network.allow', value: 'evil.example:443' },
    ]);
    expect(comparePermissions(base, undefined).widened.map((c) => c.field)).toEqual(['sandbox']);
    expect(comparePermissions({ ...base, subprocesses: false }, base).widened).toEqual([
      { field: 'subprocesses', value: 'allowed' },
    ]);
  });
  it('the same permissions in another order, or fewer, are not wider', () => {
    expect(comparePermissions(base, { filesystem: { read: ['${arg:1}/'] }, network: { allow: [] } })).toEqual({
      widened: [],
      narrowed: [],
    });
    expect(comparePermissions(base, noPermissions())).toEqual({
      widened: [],
      narrowed: [{ field: 'filesystem.read', value: '${arg:1}' }],
    });
    expect(comparePermissions(undefined, base).widened).toEqual([]);
  });
});

describe('resolvePermissions', () => {
  it('replaces every placeholder and keeps a read+write path only as written', () => {
    const r = resolvePermissions(
      {
        filesystem: { read: ['~', '~/a', '${project}/docs', '/etc/hosts', '${arg:1}'], write: ['${arg:1}', '${data}'] },
        network: { allow: ['a.io:1'] },
      },
      ctx,
    );
    expect(r).toEqual({
      read: ['/home/u', '/home/u/a', '/p/proj/docs', '/etc/hosts'],
      write: ['/srv/root', '/p/proj/.mcp-lock/data/x'],
      network: ['a.io:1'],
      subprocesses: true,
    });
  });
  it('refuses an argument the server lacks or one that is not an absolute path', () => {
    expectCode(() => resolvePermissions({ filesystem: { read: ['${arg:3}'] }, network: {} }, ctx), 'CONFIG_INVALID');
    expectCode(() => resolvePermissions({ filesystem: { read: ['${arg:2}'] }, network: {} }, ctx), 'CONFIG_INVALID');
  });
  it('an argument with .. in it resolves to where it really points', () => {
    const r = resolvePermissions(
      { filesystem: { read: ['${arg:1}'] }, network: {} },
      { ...ctx, args: ['/srv/root/../..'] },
    );
    expect(r.read).toEqual(['/']);
  });
});

describe('networkAllowed', () => {
  const allow = ['api.example.com:443', '*.github.com:443', '127.0.0.1:*'];
  it.each([
    ['api.example.com', 443, true],
    ['API.Example.com.', 443, true],
    ['raw.github.com', 443, true],
    ['127.0.0.1', 5432, true],
    ['api.example.com', 80, false],
    ['github.com', 443, false],
    ['evilgithub.com', 443, false],
    ['api.example.com.evil.io', 443, false],
    ['localhost', 5432, false],
  ])('%s:%d → %s', (host, port, expected) => {
    expect(networkAllowed(allow, host, port)).toBe(expected);
  });
  it('nothing is allowed when nothing is declared', () => {
    expect(networkAllowed(undefined, 'api.example.com', 443)).toBe(false);
  });
});
