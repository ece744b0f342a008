// Matching config entries to lock entries, and to the registry server that publishes them; the names and
// requests of TOFU pins; what changes when a config entry runs its pin.

import { describe, expect, it } from 'vitest';
import { describeEntry, type EntryLaunch } from '../../core/clients/launch-spec.ts';
import { type LockedTarget, matchEntry, sameUrl } from '../../core/clients/match.ts';
import { findInRegistry, type ListedVersion } from '../../core/clients/registry-match.ts';
import { introspectionEnv, tofuName, tofuRequest } from '../../core/clients/tofu-request.ts';
import { packageTofuName } from '../../core/lockfile/tofu-name.ts';

const launch = (command: string, args: string[], env: Record<string, string> = {}): EntryLaunch =>
  describeEntry({ command, args, env });
const remote = (url: string, extra: Record<string, unknown> = {}): EntryLaunch =>
  describeEntry({ type: 'http', url, ...extra } as never);

const WEATHER: LockedTarget = {
  name: 'io.github.acme/weather',
  version: '1.0.0',
  source: 'registry',
  packageIdentifier: '@acme/weather-mcp',
  pinnedArgs: [],
  envNames: ['WEATHER_API_KEY'],
};
const DOCS: LockedTarget = {
  name: 'com.example/docs',
  version: '2.0.0',
  source: 'tofu',
  remoteUrl: 'https://mcp.example.com/mcp',
  pinnedArgs: null,
  envNames: null,
};

describe('matchEntry', () => {
  it('matches by npm package and says nothing when the launch is the pinned one (benign)', () => {
    const m = matchEntry(launch('npx', ['-y', '@acme/weather-mcp@1.0.0'], { WEATHER_API_KEY: 'x' }), [WEATHER, DOCS]);
    expect(m).toEqual({ status: 'pinned', target: WEATHER, notes: [] });
  });

  it('reports a different version, a tag, other arguments and undeclared variables', () => {
    const m = matchEntry(launch('npx', ['-y', '@acme/weather-mcp@0.9.0', '--fast'], { OTHER: 'x' }), [WEATHER]);
    expect(m.status === 'pinned' && m.notes.map((n) => n.kind)).toEqual(['version', 'args', 'env']);
    expect(m.status === 'pinned' && m.notes[0]!.message).toBe(
      'the config runs @acme/weather-mcp@0.9.0, the lock pins 1.0.0',
    );
    const tagged = matchEntry(launch('npx', ['-y', '@acme/weather-mcp@latest']), [WEATHER]);
    expect(tagged.status === 'pinned' && tagged.notes[0]!.message).toMatch(/asks for "latest"; the pinned 1.0.0 runs/);
  });

  it('matches a remote by URL, ignoring a trailing slash, and not another host', () => {
    expect(matchEntry(remote('https://mcp.example.com/mcp/'), [DOCS]).status).toBe('pinned');
    expect(matchEntry(remote('https://mcp.example.org/mcp'), [DOCS]).status).toBe('unpinned');
    expect(sameUrl('https://MCP.example.com/mcp', 'https://mcp.example.com/mcp')).toBe(true);
  });

  it('picks among several pins of one package by their arguments, else asks for --map', () => {
    const a = { ...WEATHER, name: 'io.x/weather-a', pinnedArgs: ['--city', 'a'] };
    const b = { ...WEATHER, name: 'io.x/weather-b', pinnedArgs: ['--city', 'b'] };
    const m = matchEntry(launch('npx', ['-y', '@acme/weather-mcp', '--city', 'b']), [a, b]);
    expect(m.status === 'pinned' && m.target.name).toBe('io.x/weather-b');
    expect(matchEntry(launch('npx', ['-y', '@acme/weather-mcp']), [a, b])).toEqual({
      status: 'ambiguous',
      candidates: ['io.x/weather-a', 'io.x/weather-b'],
    });
    const mapped = matchEntry(launch('npx', ['-y', '@acme/weather-mcp']), [a, b], 'io.x/weather-a');
    expect(mapped.status === 'pinned' && mapped.target.name).toBe('io.x/weather-a');
  });

  it('refuses a --map to a lock entry of another package', () => {
    expect(matchEntry(launch('npx', ['-y', 'other-mcp']), [WEATHER], WEATHER.name)).toMatchObject({
      status: 'unpinned',
      reason: expect.stringMatching(/pins another package/),
    });
    expect(matchEntry(launch('npx', ['-y', 'other-mcp']), [WEATHER], 'io.x/missing')).toMatchObject({
      status: 'unpinned',
    });
  });
});

const listed = (
  name: string,
  version: string,
  pkgVersion: string,
  extra: Partial<ListedVersion> = {},
): ListedVersion => ({
  name,
  version,
  isLatest: false,
  publishedAt: `2026-01-0${version.slice(-1)}T00:00:00Z`,
  packages: [{ registryType: 'npm', identifier: '@acme/weather-mcp', version: pkgVersion }],
  remotes: [],
  ...extra,
});

describe('findInRegistry', () => {
  const versions = [
    listed('io.github.acme/weather', '1.0.1', '3.1.0'),
    listed('io.github.acme/weather', '1.0.2', '3.2.0', { isLatest: true }),
    listed('io.github.other/thing', '1.0.1', '1.0.0', { packages: [{ registryType: 'npm', identifier: 'thing' }] }),
  ];

  it('pins the version whose package version the config names', () => {
    expect(findInRegistry(launch('npx', ['-y', '@acme/weather-mcp@3.1.0']), versions)).toEqual({
      kind: 'found',
      name: 'io.github.acme/weather',
      version: '1.0.1',
    });
  });

  it('falls back to the latest, saying so when the config named another version', () => {
    expect(findInRegistry(launch('npx', ['-y', '@acme/weather-mcp']), versions)).toEqual({
      kind: 'found',
      name: 'io.github.acme/weather',
      version: '1.0.2',
    });
    const other = findInRegistry(launch('npx', ['-y', '@acme/weather-mcp@9.9.9']), versions);
    expect(other).toMatchObject({ kind: 'found', version: '1.0.2', note: expect.stringMatching(/9\.9\.9/) });
  });

  it('refuses to choose between two servers publishing one package, and finds remotes by URL', () => {
    const twins = [...versions, listed('io.github.copycat/weather', '1.0.1', '3.1.0')];
    expect(findInRegistry(launch('npx', ['-y', '@acme/weather-mcp']), twins)).toEqual({
      kind: 'ambiguous',
      names: ['io.github.acme/weather', 'io.github.copycat/weather'],
    });
    const withRemote = [listed('com.example/docs', '2.0.1', '', { packages: [], remotes: [{ url: 'https://d/mcp' }] })];
    expect(findInRegistry(remote('https://d/mcp'), withRemote)).toMatchObject({
      kind: 'found',
      name: 'com.example/docs',
    });
    expect(findInRegistry(launch('npx', ['-y', 'unknown']), versions)).toEqual({ kind: 'none' });
  });
});

describe('TOFU requests', () => {
  it('names unsigned pins after what they run, never a publisher namespace', () => {
    expect(tofuName(launch('npx', ['-y', '@acme/weather-mcp']), 'w')).toBe('npm.acme/weather-mcp');
    expect(tofuName(launch('npx', ['-y', 'weather~mcp']), 'w')).toBe('npm/weather-mcp');
    expect(tofuName(remote('https://mcp.example.com/mcp'), 'My Docs!')).toBe('com.example.mcp/My-Docs');
    expect(tofuName(remote('http://127.0.0.1:8080/mcp'), 'search')).toBe('127.0.0.1/search');
  });

  it('gives a package the name add --tofu gives it, whatever the config key or version', () => {
    for (const pkg of ['@acme/weather-mcp', 'weather~mcp', '@modelcontextprotocol/server-everything']) {
      const fromConfig = tofuName(launch('npx', ['-y', `${pkg}@1.2.3`]), 'some key');
      expect(fromConfig).toBe(packageTofuName(pkg));
    }
    expect(packageTofuName('@acme/weather-mcp', 'local')).toBe('local.acme/weather-mcp');
    expect(packageTofuName('weather-mcp', 'local')).toBe('local/weather-mcp');
  });

  it('keeps the arguments as positional arguments and env variables by name only, as secrets', () => {
    const request = tofuRequest(launch('npx', ['-y', 'x-mcp', '--root', '/data'], { API_KEY: 'sk-secret' }), 'x');
    expect(request).toEqual({
      ok: true,
      kind: 'npm',
      target: 'x-mcp',
      name: 'npm/x-mcp',
      packageArguments: [
        { type: 'positional', value: '--root' },
        { type: 'positional', value: '/data' },
      ],
      environmentVariables: [{ name: 'API_KEY', isSecret: true, isRequired: true }],
    });
    expect(JSON.stringify(request)).not.toContain('sk-secret');
  });

  it('refuses what cannot be pinned faithfully', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a VS Code variable, not a template
    expect(tofuRequest(launch('npx', ['-y', 'fs-mcp', '${workspaceFolder}']), 'fs')).toMatchObject({ ok: false });
    expect(tofuRequest(remote('https://x/mcp', { headers: { Authorization: 'b' } }), 'x')).toMatchObject({ ok: false });
    expect(tofuRequest(remote('https://x/sse', { type: 'sse' }), 'x')).toMatchObject({ ok: false });
    expect(tofuRequest(launch('uvx', ['x']), 'x')).toMatchObject({ ok: false });
  });

  it('starts the introspected server with the config values, expanding Claude Code variables from the caller', () => {
    const env = {
      PLAIN: 'v',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Claude Code variables, not templates
      FROM_CALLER: '${TOKEN}',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Claude Code variables, not templates
      WITH_DEFAULT: '${MISSING:-fallback}',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a VS Code input, not a template
      INPUT: '${input:key}',
    };
    expect(introspectionEnv(env, { TOKEN: 't' })).toEqual({ PLAIN: 'v', FROM_CALLER: 't', WITH_DEFAULT: 'fallback' });
  });
});
