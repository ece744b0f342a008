// What a config entry launches: every npm runner form, Windows `cmd /c` and .cmd paths, remotes, entries
// already wrapped, and the things mcp-lock cannot pin (each with a reason).

import { describe, expect, it } from 'vitest';
import { commandBase, describeEntry, usesClientVariable } from '../../core/clients/launch-spec.ts';

const npm = (command: string, args: string[]) => describeEntry({ command, args });

describe('describeEntry: npm runners', () => {
  it.each([
    ['npx', ['-y', '@acme/weather-mcp@1.2.3', '--port', '1'], 'npx'],
    ['npx', ['--yes', '@acme/weather-mcp@1.2.3', '--port', '1'], 'npx'],
    ['npm', ['exec', '-y', '--', '@acme/weather-mcp@1.2.3', '--port', '1'], 'npm exec'],
    ['npm', ['x', '@acme/weather-mcp@1.2.3', '--port', '1'], 'npm x'],
    ['pnpm', ['dlx', '@acme/weather-mcp@1.2.3', '--port', '1'], 'pnpm dlx'],
    ['yarn', ['dlx', '@acme/weather-mcp@1.2.3', '--port', '1'], 'yarn dlx'],
    ['bunx', ['@acme/weather-mcp@1.2.3', '--port', '1'], 'bunx'],
    ['bun', ['x', '@acme/weather-mcp@1.2.3', '--port', '1'], 'bun x'],
    ['C:\\Program Files\\nodejs\\npx.cmd', ['-y', '@acme/weather-mcp@1.2.3', '--port', '1'], 'npx'],
    ['cmd', ['/c', 'npx', '-y', '@acme/weather-mcp@1.2.3', '--port', '1'], 'npx'],
    ['/usr/local/bin/npx', ['-q', '-y', '@acme/weather-mcp@1.2.3', '--port', '1'], 'npx'],
  ])('%s %j', (command, args, runner) => {
    expect(npm(command, args)).toEqual({
      kind: 'npm',
      runner,
      spec: '@acme/weather-mcp@1.2.3',
      pkg: '@acme/weather-mcp',
      range: '1.2.3',
      args: ['--port', '1'],
      env: {},
    });
  });

  it('keeps env and a missing version (latest) or a tag', () => {
    const launch = describeEntry({ command: 'npx', args: ['-y', 'weather-mcp@latest'], env: { KEY: 'v' } });
    expect(launch).toMatchObject({ kind: 'npm', pkg: 'weather-mcp', range: 'latest', env: { KEY: 'v' } });
    expect(npm('npx', ['weather-mcp'])).toMatchObject({ pkg: 'weather-mcp', range: undefined, args: [] });
  });
});

describe('describeEntry: what mcp-lock cannot pin', () => {
  it.each([
    ['uvx', ['mcp-server-fetch'], /uvx is not an npm package runner/],
    ['docker', ['run', '-i', '--rm', 'mcp/time'], /docker is not an npm package runner/],
    ['node', ['./server.js'], /node is not an npm package runner/],
    ['/opt/bin/my-server', [], /my-server is not an npm package runner/],
    ['npx', ['-y', './local-dir'], /not a registry package spec/],
    ['npx', ['-y', 'git+https://github.com/a/b.git'], /not a registry package spec/],
    ['npx', ['-p', 'pkg', 'bin'], /option -p is not supported/],
    ['npx', ['--registry=https://evil.example', 'pkg'], /option --registry=https:\/\/evil.example is not supported/],
    ['npx', ['-y'], /names no package/],
  ])('%s %j', (command, args, reason) => {
    const launch = npm(command, args);
    expect(launch.kind).toBe('other');
    expect(launch.kind === 'other' && launch.reason).toMatch(reason);
  });

  it('refuses malformed entries with a reason instead of guessing', () => {
    expect(describeEntry('npx')).toMatchObject({ kind: 'other', reason: 'the entry is not an object' });
    expect(describeEntry({ command: 'npx', args: ['-y', 1] })).toMatchObject({ kind: 'other' });
    expect(describeEntry({ command: 'npx', args: ['-y', 'x'], env: { A: 1 } })).toMatchObject({ kind: 'other' });
    expect(describeEntry({ type: 'stdio' })).toMatchObject({ kind: 'other' });
    expect(describeEntry({ url: 'https://x', type: 'websocket' })).toMatchObject({ kind: 'other' });
  });
});

describe('describeEntry: remotes and wrapped entries', () => {
  it('reads a remote url, its transport and the names of its headers', () => {
    expect(describeEntry({ type: 'http', url: 'https://mcp.example.com/mcp' })).toEqual({
      kind: 'remote',
      url: 'https://mcp.example.com/mcp',
      transport: 'streamable-http',
      headerNames: [],
      headers: {},
    });
    expect(describeEntry({ url: 'https://x/sse', type: 'sse', headers: { Authorization: 'Bearer t' } })).toMatchObject({
      transport: 'sse',
      headerNames: ['Authorization'],
    });
  });

  it('recognises an entry that already starts mcp-lock run, and its project', () => {
    expect(
      describeEntry({
        command: '/usr/bin/node',
        args: ['/opt/mcp-lock/bin/mcp-lock.js', 'run', 'io.x/y', '--project', '/p'],
      }),
    ).toEqual({ kind: 'wrapped', name: 'io.x/y', project: '/p' });
    expect(describeEntry({ command: 'mcp-lock', args: ['run', 'io.x/y'] })).toEqual({
      kind: 'wrapped',
      name: 'io.x/y',
      project: undefined,
    });
    // Benign twin: a server whose own argument is "run" is not wrapped.
    expect(describeEntry({ command: 'npx', args: ['-y', 'runner-mcp', 'run'] }).kind).toBe('npm');
  });

  it('normalises commands and spots client variables', () => {
    expect(commandBase('C:\\Tools\\NPX.CMD')).toBe('npx');
    expect(commandBase('/usr/bin/node24')).toBe('node24');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a client variable, not a template
    expect(usesClientVariable('${workspaceFolder}/data')).toBe(true);
    expect(usesClientVariable('$HOME/data')).toBe(false);
  });
});
