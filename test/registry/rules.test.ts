// The registry's pure rules: names and versions, look-alike skeletons, token scopes and roles, status
// transitions, latest-version order, cursors, the code → HTTP status table, and configuration sources.

import { describe, expect, test } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../../core/errors.ts';
import { decodeCursor, encodeCursor, pageLimit } from '../../core/registry/cursor.ts';
import { findLookalike, nameSkeleton } from '../../core/registry/lookalike.ts';
import { namespaceOf, parseNameAtVersion, serverNameProblem, versionProblem } from '../../core/registry/names.ts';
import { nextStatus, officialStatus, parseReason } from '../../core/registry/status.ts';
import { assertScope, bearerToken, formatToken, scopeMatches, TOKEN_PATTERN } from '../../core/registry/tokens.ts';
import { compareVersions, parseSemver, pickLatest } from '../../core/registry/version-order.ts';
import { resolveRegistryConfig } from '../../registry/config.ts';
import { httpStatusFor } from '../../registry/http-status.ts';
import { expectCode } from '../helpers/expect-code.ts';

describe('names and versions', () => {
  test.each(['io.github.acme/weather', 'com.example/my-server', 'io.github.a-b/x.y_z', 'dev.mcp-lock/registry-demo'])(
    'accepts %s',
    (name) => {
      expect(serverNameProblem(name)).toBeNull();
    },
  );

  test.each([
    ['io.github.acme/..', /must not start with "."/],
    ['io.github.acme/.env', /must not start with "."/],
    ['../etc', /namespace/],
    ['io..github/x', /label/],
    ['.io.github/x', /label/],
    ['io.github-/x', /label/],
    ['localhost/x', /two labels/],
    ['io.github.acme/a/b', /namespace\/name/],
    ['io.github.acme\\x', /namespace\/name/],
    ['io.github.acme/wéather', /namespace\/name/],
    ['a/', /characters|namespace\/name/],
    [`io.github.acme/${'x'.repeat(200)}`, /characters/],
  ])('refuses %s', (name, why) => {
    expect(serverNameProblem(name)).toMatch(why);
  });

  test('versions: exact only', () => {
    for (const ok of ['1.0.0', '1.0.0-beta.1', '1.0.0+build.5', '2026.8.31', 'v2', '1.0'])
      expect(versionProblem(ok), ok).toBeNull();
    for (const bad of [
      'latest',
      '^1.2.3',
      '~1.2.3',
      '>=1.2.3',
      '1.x',
      '1.2.X',
      '1.2.*',
      '1 - 2',
      '1.2 || 1.3',
      '',
      '-1',
      '../1',
      'a/b',
    ]) {
      expect(versionProblem(bad), bad).not.toBeNull();
    }
  });

  test('name@version parsing and namespaces', () => {
    expect(parseNameAtVersion('io.github.acme/weather@1.2.0')).toEqual({
      name: 'io.github.acme/weather',
      version: '1.2.0',
    });
    expect(parseNameAtVersion('io.github.acme/weather@1.2.0+b@x'.replace('@x', ''))).toEqual({
      name: 'io.github.acme/weather',
      version: '1.2.0+b',
    });
    expectCode(() => parseNameAtVersion('io.github.acme/weather'), 'SPEC_INVALID');
    expectCode(() => parseNameAtVersion('io.github.acme/weather@'), 'SPEC_INVALID');
    expectCode(() => parseNameAtVersion('io.github.acme/weather@latest'), 'VERSION_INVALID');
    expect(namespaceOf('io.github.acme/weather')).toBe('io.github.acme');
  });
});

describe('look-alike names', () => {
  test('case, separators and classic confusables share a skeleton', () => {
    const base = nameSkeleton('io.github.acme/weather');
    for (const lookalike of [
      'io.github.acme/Weather',
      'IO.GITHUB.ACME/WEATHER',
      'io.github.acme/weather-',
      'io.github.acme/wea_ther',
      'io.github.acme/vveather',
      'io.github.acrne/weather',
      'io.github.acme/weather'.normalize('NFKC'),
      'io.github.acme/ｗeather', // fullwidth w (NFKC folds it)
      'io.github.acme/wеather', // Cyrillic е
    ]) {
      expect(nameSkeleton(lookalike), lookalike).toBe(base);
    }
    expect(nameSkeleton('io.github.acme/m0de1')).toBe(nameSkeleton('io.github.acme/model'));
  });

  test('benign twins do not collide', () => {
    const existing = ['io.github.acme/weather', 'io.github.acme/files'];
    for (const distinct of [
      'io.github.acme/weather-alerts',
      'io.github.acme/weather2',
      'io.github.other/forecast',
      'io.github.acme/filesystem',
    ]) {
      expect(findLookalike(distinct, existing), distinct).toBeNull();
    }
    expect(findLookalike('io.github.acme/weather', existing)).toBeNull(); // itself
    expect(findLookalike('io.github.acme/Files', existing)).toBe('io.github.acme/files');
  });
});

describe('tokens and scopes', () => {
  test('token format and Authorization parsing', () => {
    const token = formatToken(new Uint8Array(32).fill(1));
    expect(token).toMatch(TOKEN_PATTERN);
    expect(bearerToken(`Bearer ${token}`)).toBe(token);
    expect(bearerToken(`bearer ${token}`)).toBe(token);
    expectCode(() => bearerToken(undefined), 'UNAUTHENTICATED');
    expectCode(() => bearerToken(`Bearer  ${token}`), 'UNAUTHENTICATED');
    expectCode(() => bearerToken(`Bearer ${token} extra`), 'UNAUTHENTICATED');
    expectCode(() => bearerToken(`Token ${token}`), 'UNAUTHENTICATED');
  });

  test('scopes match exactly what they say', () => {
    expect(scopeMatches('*', 'io.github.acme/x')).toBe(true);
    expect(scopeMatches('io.github.acme/*', 'io.github.acme/x')).toBe(true);
    expect(scopeMatches('io.github.acme/*', 'io.github.acme.evil/x')).toBe(false);
    expect(scopeMatches('io.github.acme/*', 'io.github.acm/x')).toBe(false);
    expect(scopeMatches('io.github.acme/x', 'io.github.acme/x')).toBe(true);
    expect(scopeMatches('io.github.acme/x', 'io.github.acme/xy')).toBe(false);
    for (const ok of ['*', 'io.github.acme/*', 'io.github.acme/weather']) expect(() => assertScope(ok)).not.toThrow();
    for (const bad of ['io.github.*', 'io.github.acme/w*', '**', 'io.github.acme', '../*', '']) {
      expect(() => assertScope(bad), bad).toThrow();
    }
  });
});

describe('statuses', () => {
  test('the transition table', () => {
    expect(nextStatus('pending', 'approve')).toBe('approved');
    expect(nextStatus('pending', 'reject')).toBe('rejected');
    expect(nextStatus('approved', 'deprecate')).toBe('deprecated');
    expect(nextStatus('deprecated', 'yank')).toBe('yanked');
    expect(nextStatus('pending', 'yank')).toBe('yanked');
    expect(nextStatus('approved', 'approve')).toBeNull();
    for (const [from, action] of [
      ['rejected', 'approve'],
      ['yanked', 'approve'],
      ['approved', 'reject'],
      ['pending', 'deprecate'],
      ['deprecated', 'approve'],
      ['rejected', 'yank'],
    ] as const) {
      expectCode(() => nextStatus(from, action), 'CONFLICT');
    }
    expect(officialStatus('approved')).toBe('active');
    expect(officialStatus('deprecated')).toBe('deprecated');
    expect(officialStatus('yanked')).toBe('deleted');
  });

  test('parseReason returns the trimmed reason (or null when none is needed) and throws USAGE for a missing, long or multi-line one', () => {
    expect(parseReason('approve', undefined)).toBeNull();
    expect(parseReason('yank', '  leaked key  ')).toBe('leaked key');
    expectCode(() => parseReason('yank', ' '), 'USAGE');
    expectCode(() => parseReason('reject', 'x'.repeat(501)), 'USAGE');
    expectCode(() => parseReason('reject', 'line\nbreak'), 'USAGE');
  });
});

describe('latest', () => {
  const v = (
    version: string,
    status: 'approved' | 'deprecated' | 'yanked' | 'pending' = 'approved',
    publishedAt = '2026-01-01T00:00:00.000Z',
  ) => ({
    version,
    status,
    publishedAt,
  });

  test('semver precedence, prereleases, build metadata, and non-semver versions', () => {
    expect(parseSemver('1.2.3-alpha.1+b')).not.toBeNull();
    expect(parseSemver('1.2')).toBeNull();
    const order = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.1',
      '1.10.0',
      '2.0.0',
    ];
    for (let i = 1; i < order.length; i++) {
      expect(compareVersions(v(order[i]!), v(order[i - 1]!)), `${order[i]} > ${order[i - 1]}`).toBeGreaterThan(0);
    }
    expect(compareVersions(v('1.0.0'), v('zzz'))).toBeGreaterThan(0);
    expect(compareVersions(v('b', 'approved', '2026-02-01T00:00:00.000Z'), v('a'))).toBeGreaterThan(0);
    expect(compareVersions(v('99999999999999999999.0.0'), v('9.0.0'))).toBeGreaterThan(0);
  });

  test('only approved versions compete; deprecated ones when nothing approved is left', () => {
    expect(pickLatest([v('1.0.0'), v('2.0.0', 'pending'), v('1.5.0', 'yanked')])?.version).toBe('1.0.0');
    expect(pickLatest([v('1.0.0', 'deprecated'), v('2.0.0', 'yanked')])?.version).toBe('1.0.0');
    expect(pickLatest([v('1.0.0', 'deprecated'), v('0.9.0')])?.version).toBe('0.9.0');
    expect(pickLatest([v('1.0.0', 'pending')])).toBeNull();
  });
});

describe('cursors', () => {
  test('round trip, opaque, and strict', () => {
    const key = { name: 'io.github.acme/weather', version: '1.0.0+x' };
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
    for (const bad of [
      '',
      'a b',
      '!!',
      Buffer.from('["x"]').toString('base64url'),
      Buffer.from('{"a":1}').toString('base64url'),
      'x'.repeat(2000),
    ]) {
      expectCode(() => decodeCursor(bad), 'USAGE');
    }
    expect(pageLimit(undefined)).toBe(30);
    expect(pageLimit(1000)).toBe(100);
    expect(pageLimit(5)).toBe(5);
  });
});

describe('HTTP statuses', () => {
  test('one table: categories and the codes HTTP has a word for', () => {
    expect(httpStatusFor('UNAUTHENTICATED')).toBe(401);
    expect(httpStatusFor('FORBIDDEN')).toBe(403);
    expect(httpStatusFor('NOT_FOUND')).toBe(404);
    expect(httpStatusFor('CONFLICT')).toBe(409);
    expect(httpStatusFor('JSON_TOO_LARGE')).toBe(413);
    expect(httpStatusFor('MEDIA_TYPE_UNSUPPORTED')).toBe(415);
    expect(httpStatusFor('RATE_LIMITED')).toBe(429);
    expect(httpStatusFor('SIGNATURE_INVALID')).toBe(422);
    expect(httpStatusFor('MANIFEST_INVALID')).toBe(400);
    expect(httpStatusFor('INTERNAL')).toBe(500);
    for (const code of ERROR_CODES.usage) expect(httpStatusFor(code as ErrorCode)).toBeLessThan(500);
    for (const code of ERROR_CODES.verification) expect(httpStatusFor(code as ErrorCode)).toBeLessThan(500);
    for (const code of ERROR_CODES.unverifiable) expect(httpStatusFor(code as ErrorCode)).toBeGreaterThanOrEqual(500);
  });
});

describe('configuration', () => {
  const cwd = '/srv/registry';

  test('defaults bind loopback with a local data directory', () => {
    const config = resolveRegistryConfig({ flags: {}, env: {}, cwd });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8787,
      dataDir: '/srv/registry/.mcp-lock-registry',
      publicUrl: null,
    });
    expect(config.limits.publishBodyBytes).toBe(8 * 1024 * 1024);
  });

  test('flags beat the environment, which beats the file; relative paths resolve against their source', () => {
    const file = {
      path: '/etc/mcp-lock/registry.json',
      content: JSON.stringify({
        port: 9000,
        host: '0.0.0.0',
        dataDir: 'data',
        logLevel: 'warn',
        limits: { maxConnections: 10 },
      }),
    };
    const fromFile = resolveRegistryConfig({ flags: {}, env: {}, file, cwd });
    expect(fromFile).toMatchObject({ port: 9000, host: '0.0.0.0', dataDir: '/etc/mcp-lock/data', logLevel: 'warn' });
    expect(fromFile.limits.maxConnections).toBe(10);
    const fromEnv = resolveRegistryConfig({
      flags: {},
      env: {
        MCP_LOCK_REGISTRY_PORT: '9100',
        MCP_LOCK_REGISTRY_DATA: 'envdata',
        MCP_LOCK_REGISTRY_PUBLIC_URL: 'https://reg.example.com/',
      },
      file,
      cwd,
    });
    expect(fromEnv).toMatchObject({
      port: 9100,
      host: '0.0.0.0',
      dataDir: '/srv/registry/envdata',
      publicUrl: 'https://reg.example.com',
    });
    const fromFlags = resolveRegistryConfig({
      flags: { port: '0', host: '127.0.0.1', data: '/abs' },
      env: { MCP_LOCK_REGISTRY_PORT: '9100' },
      file,
      cwd,
    });
    expect(fromFlags).toMatchObject({ port: 0, host: '127.0.0.1', dataDir: '/abs' });
  });

  test('every bad setting is a CONFIG_INVALID naming its source', () => {
    const cases: [Parameters<typeof resolveRegistryConfig>[0], RegExp][] = [
      [{ flags: { port: 'abc' }, env: {}, cwd }, /--port/],
      [{ flags: { port: '70000' }, env: {}, cwd }, /--port/],
      [{ flags: {}, env: { MCP_LOCK_REGISTRY_PORT: '-1' }, cwd }, /MCP_LOCK_REGISTRY_PORT/],
      [{ flags: { host: 'a b' }, env: {}, cwd }, /host/],
      [{ flags: { publicUrl: 'ftp://x' }, env: {}, cwd }, /publicUrl/],
      [{ flags: { publicUrl: 'https://user:pw@x' }, env: {}, cwd }, /credentials/],
      [{ flags: { logLevel: 'loud' }, env: {}, cwd }, /logLevel/],
      [{ flags: {}, env: {}, file: { path: '/c.json', content: '{"port": 1, "port": 2}' }, cwd }, /not valid JSON/],
      [{ flags: {}, env: {}, file: { path: '/c.json', content: '{"prot": 1}' }, cwd }, /prot.*is not a setting/],
      [{ flags: {}, env: {}, file: { path: '/c.json', content: '{"port": "8787"}' }, cwd }, /port/],
      [
        { flags: {}, env: {}, file: { path: '/c.json', content: '{"limits": {"publishBodyBytes": 1}}' }, cwd },
        /publishBodyBytes/,
      ],
      [{ flags: {}, env: {}, file: { path: '/c.json', content: '[]' }, cwd }, /object/],
    ];
    for (const [sources, message] of cases) {
      const error = expectCode(() => resolveRegistryConfig(sources), 'CONFIG_INVALID');
      expect(error.message).toMatch(message);
    }
  });
});
